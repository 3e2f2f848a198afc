import Foundation
import RevisitModel

extension ConflictRecord {
    /// The API's shape of a conflict, also the data of `conflict.detected`.
    public var json: [String: JSONValue] {
        var out: [String: JSONValue] = [
            "id": .string(id), "entity": .string(entity), "entityId": .string(entityId), "field": .string(field),
            "rule": .string(rule), "winner": winner, "writes": .array(writes.map(\.json)), "resolved": .bool(resolved),
            "createdAt": .string(RFC3339DateTime.string(from: createdAt)),
        ]
        if let resolvedAt { out["resolvedAt"] = .string(RFC3339DateTime.string(from: resolvedAt)) }
        return out
    }
}
