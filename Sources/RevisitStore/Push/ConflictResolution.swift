import Foundation
import RevisitModel

/// A person's choice for a conflicted field (`POST /v1/conflicts/{id}/resolve`), the same on every backend: a write
/// that has seen every open write of the field, so it closes them all, with the next version of the tenant.
enum ConflictResolution {
    static func apply(
        _ conflict: ConflictRecord,
        to stored: StoredRow?,
        value: JSONValue,
        stamp: HLC,
        now: Date,
        nextVersion: () -> Int64
    ) throws -> (row: StoredRow, conflict: ConflictRecord) {
        guard let stored, !stored.deleted, let entity = EntityKind(rawValue: conflict.entity) else {
            throw StoreError.notFound("the row of conflict \(conflict.id) no longer exists")
        }
        let fields: [String: JSONValue]
        do {
            fields = try FieldValidator.validate(entity: entity, fields: [conflict.field: value], isCreate: false)
        } catch let problem as MutationProblem {
            throw StoreError.validation(problem.detail)
        }
        let version = nextVersion()
        let outcome = Merge.apply(
            fields: fields,
            clientId: "resolve:\(conflict.id)",
            hlc: stamp,
            baseVersion: stored.version,
            version: version,
            entity: entity,
            to: stored.merge
        )
        var updated = stored
        updated.version = version
        updated.fields = outcome.values
        updated.merge = outcome.state
        updated.updatedAt = now
        var resolved = conflict
        resolved.resolved = true
        resolved.resolvedAt = now
        resolved.winner = outcome.values[conflict.field] ?? .null
        return (updated, resolved)
    }
}
