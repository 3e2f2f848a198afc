import Foundation
import RevisitModel

extension PushEngine {
    /// Opens or updates one conflict record per field that now holds open writes with different values.
    func recordConflicts(_ outcome: MergeOutcome, write: Write) throws -> [ConflictRecord] {
        let now = context.now
        return try outcome.conflicts.map { conflict in
            let existing = try context.openConflict(entityId: write.id, field: conflict.field)
            var record =
                existing
                ?? ConflictRecord(
                    id: context.newId(),
                    entity: write.entity.rawValue,
                    entityId: write.id,
                    field: conflict.field,
                    rule: conflict.rule.rawValue,
                    winner: conflict.winner,
                    writes: [],
                    resolved: false,
                    createdAt: now,
                    resolvedAt: nil
                )
            record.rule = conflict.rule.rawValue
            record.winner = conflict.winner
            record.writes = conflict.writes
            try context.save(record)
            if existing == nil { try context.emit(.conflictDetected, data: record.json) }
            return record
        }
    }

    /// Ends the open conflicts of fields that a write brought back to one value.
    func endConflicts(_ fields: [String], entityId: String, values: [String: JSONValue]) throws {
        for field in fields {
            guard var record = try context.openConflict(entityId: entityId, field: field) else { continue }
            record.resolved = true
            record.resolvedAt = context.now
            record.winner = values[field] ?? .null
            try context.save(record)
        }
    }

    /// Ends the open conflicts of these rows: an inspection that becomes final (or is deleted) takes those of its
    /// items with it.
    func endConflicts(ofRows ids: [String]) throws {
        for rowId in ids {
            for var record in try context.openConflicts(entityId: rowId) {
                record.resolved = true
                record.resolvedAt = context.now
                try context.save(record)
            }
        }
    }
}
