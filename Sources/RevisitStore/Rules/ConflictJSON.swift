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

/// The stored form of a conflict's JSON columns (`winner`, `writes`), the same text on both backends.
extension ConflictRecord {
    var storedWinner: String { String(decoding: winner.jsonData(), as: UTF8.self) }
    var storedWrites: String { String(decoding: JSONValue.array(writes.map(\.json)).jsonData(), as: UTF8.self) }

    /// A conflict read back from its columns.
    init(
        id: String,
        entity: String,
        entityId: String,
        field: String,
        rule: String,
        storedWinner: String,
        storedWrites: String,
        resolved: Bool,
        createdAt: Date,
        resolvedAt: Date?
    ) throws {
        self.init(
            id: id,
            entity: entity,
            entityId: entityId,
            field: field,
            rule: rule,
            winner: try JSONValue.parse(Data(storedWinner.utf8)),
            writes: (try JSONValue.parse(Data(storedWrites.utf8)).arrayValue ?? []).compactMap(OpenWrite.init(json:)),
            resolved: resolved,
            createdAt: createdAt,
            resolvedAt: resolvedAt
        )
    }
}
