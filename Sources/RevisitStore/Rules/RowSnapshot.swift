import RevisitModel

/// The vehicle and customer as an event carries them (DESIGN section 6), so a CRM can act on one webhook alone: the
/// same keys in follow-ups and in review requests.
enum RowSnapshot {
    static func vehicle(_ vehicle: StoredRow?, odometer: JSONValue?) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for key in ["plate", "vin", "make", "model"] { out[key] = vehicle?.fields[key] ?? .null }
        out["odometer"] = odometer ?? .null
        return out
    }

    static func customer(_ customer: StoredRow) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for key in ["name", "phone", "email"] { out[key] = customer.fields[key] ?? .null }
        out["contactConsent"] = customer.fields["contactConsent"] ?? .bool(false)
        return out
    }
}
