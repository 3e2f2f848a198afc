import Foundation
import RevisitModel

extension PushEngine {
    /// Deletes leave tombstones: items are never deleted, an inspection takes its items with it until it is
    /// completed, and a vehicle or customer that live rows refer to stays.
    mutating func delete(_ write: Write, existing: StoredRow?) throws -> MutationResult {
        var items: [StoredRow] = []
        switch write.entity {
        case .item:
            throw MutationProblem.validation("items are never deleted: set their status to unchecked")
        case .inspection:
            if let existing, !existing.deleted, let state = existing.state {
                if state.isFinal {
                    throw MutationProblem.inspectionFinal("inspection \(write.id) is \(state.rawValue)")
                }
                if state == .completed {
                    throw MutationProblem.invalidTransition(
                        "a completed inspection cannot be deleted: reopen it (in_progress) or cancel it"
                    )
                }
                items = try context.items(ofInspection: write.id)
            }
        case .vehicle, .customer:
            if let existing, !existing.deleted, try context.hasLiveReferences(to: write.id) {
                throw MutationProblem.referenceExists(
                    "\(write.entity.rawValue) \(write.id) is still referenced by live rows; delete or move them first"
                )
            }
        }
        let version = context.nextVersion()
        try tombstone(write.entity, id: write.id, version: version, write: write, existing: existing)
        for item in items {
            try tombstone(.item, id: item.id, version: context.nextVersion(), write: write, existing: item)
        }
        try endConflicts(ofRows: [write.id] + items.map(\.id))
        return MutationResult(id: write.mutation.id, status: .applied, version: version, hlcClamped: write.clamped)
    }

    /// The tombstone keeps who deleted the row, so that a later edit's conflict record can name both writes.
    private func tombstone(
        _ entity: EntityKind,
        id: String,
        version: Int64,
        write: Write,
        existing: StoredRow?
    ) throws {
        let now = context.now
        let deleter = OpenWrite(value: .bool(true), clientId: clientId, hlc: write.hlc, version: version)
        try context.save(
            StoredRow(
                entity: entity,
                id: id,
                version: version,
                deleted: true,
                fields: [:],
                merge: MergeState(fields: [Self.deletedKey: [deleter]]),
                createdAt: existing?.createdAt ?? now,
                updatedAt: now
            )
        )
    }

    static var deletedKey: String { "_deleted" }

    /// An edit that arrives after a delete is rejected and logged as an ended conflict (rule `delete-wins`).
    func recordDeleteWins(_ write: Write, tombstone: StoredRow) throws -> ConflictRecord {
        let now = context.now
        var writes = tombstone.merge.fields[Self.deletedKey] ?? []
        writes.append(
            OpenWrite(
                value: .object(write.mutation.fields),
                clientId: clientId,
                hlc: write.hlc,
                version: write.mutation.baseVersion
            )
        )
        let record = ConflictRecord(
            id: context.newId(),
            entity: write.entity.rawValue,
            entityId: write.id,
            field: "deleted",
            rule: AdmissionRule.deleteWins.rawValue,
            winner: .bool(true),
            writes: writes,
            resolved: true,
            createdAt: now,
            resolvedAt: now
        )
        try context.save(record)
        return record
    }
}
