extension FieldCheck {
    /// The customer's signature of a review (DESIGN section 13): who signed, when, through which link, and whether
    /// they agreed to be contacted about deferred work.
    static func review(_ value: JSONValue, _ path: String) throws -> JSONValue {
        let members = try object(value, path, allowedKeys: ["signedName", "signedAt", "linkId", "contactConsent"])
        guard let name = members["signedName"], let signedAt = members["signedAt"], let linkId = members["linkId"]
        else {
            throw MutationProblem.validation("\(path) needs signedName, signedAt and linkId")
        }
        var result: [String: JSONValue] = [
            "signedName": .string(try string(name, "\(path).signedName", length: 1...200)),
            "linkId": .string(try string(linkId, "\(path).linkId", length: 1...64)),
        ]
        let at = try string(signedAt, "\(path).signedAt", length: 1...35)
        guard RFC3339DateTime.isValid(at) else {
            throw MutationProblem.validation("\(path).signedAt must be an RFC 3339 date-time; got \(quoted(at))")
        }
        result["signedAt"] = .string(at)
        if let consent = members["contactConsent"], !consent.isNull {
            result["contactConsent"] = .bool(try bool(consent, "\(path).contactConsent"))
        }
        return .object(result)
    }
}
