import Foundation
import RevisitModel

extension PushEngine {
    /// The events an inspection's lifecycle emits, in the push's transaction: `inspection.completed` when it
    /// reaches completed, `inspection.closed` and the follow-ups of its deferred work when it is closed.
    func inspectionEvents(_ row: StoredRow, previous: InspectionState?, final: InspectionState?) throws {
        if row.state == .completed, previous != .completed {
            try context.emit(.inspectionCompleted, data: try inspectionJSON(row))
        }
        if final == .closed {
            try context.emit(.inspectionClosed, data: try inspectionJSON(row))
            try FollowUpWriter(context: context).inspectionClosed(row)
        }
    }

    /// An inspection with its items, as `GET /v1/inspections/{id}` shows it.
    func inspectionJSON(_ row: StoredRow) throws -> [String: JSONValue] {
        var json = row.fields
        json["id"] = .string(row.id)
        json["version"] = .int(row.version)
        json["items"] = .array(
            try context.items(ofInspection: row.id).map { item in
                var fields = item.fields
                fields["id"] = .string(item.id)
                fields["version"] = .int(item.version)
                return .object(fields)
            }
        )
        return json
    }
}

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
