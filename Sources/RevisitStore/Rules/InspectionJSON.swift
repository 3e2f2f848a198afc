import Foundation
import RevisitModel

/// An inspection with its items, as `GET /v1/inspections/{id}` shows it and as the data of `inspection.completed`
/// and `inspection.closed`: each row's fields with `id` and `version`, items in the order of their codes.
enum InspectionJSON {
    static func make(
        inspection: (id: String, version: Int64, fields: [String: JSONValue]),
        items: [(id: String, version: Int64, fields: [String: JSONValue])]
    ) -> [String: JSONValue] {
        var json = withIdentity(inspection)
        json["items"] = .array(
            items.sorted { ($0.fields["code"]?.stringValue ?? "") < ($1.fields["code"]?.stringValue ?? "") }
                .map { .object(withIdentity($0)) }
        )
        return json
    }

    static func withIdentity(_ row: (id: String, version: Int64, fields: [String: JSONValue])) -> [String: JSONValue] {
        var out = row.fields
        out["id"] = .string(row.id)
        out["version"] = .int(row.version)
        return out
    }
}

extension InspectionDetail {
    /// The API's shape of the inspection and its items (``InspectionJSON``).
    public var json: [String: JSONValue] {
        InspectionJSON.make(
            inspection: (inspection.id, inspection.version, inspection.fields),
            items: items.map { ($0.id, $0.version, $0.fields) }
        )
    }
}
