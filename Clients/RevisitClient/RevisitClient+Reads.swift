import Foundation
import RevisitModel

extension RevisitClient {
    /// The inspection with its whole checklist, as this store shows it (server state plus pending edits).
    /// - Parameter inspection: the id or a unique prefix of it.
    public func inspection(_ inspection: String) async throws -> Inspection {
        try await store.pool.read { db in
            let reader = try LocalReader(db)
            let id = try reader.resolveInspection(inspection)
            guard let found = try reader.inspection(id) else {
                throw RevisitClientError(.unknownInspection, "inspection \(id) was deleted")
            }
            return found
        }
    }

    /// Inspections, newest first.
    public func inspections(
        state: InspectionState? = nil,
        plate: String? = nil,
        limit: Int = 100
    ) async throws
        -> [InspectionSummary]
    {
        try await store.pool.read { db in
            try LocalReader(db).inspectionSummaries(state: state, plate: plate, limit: limit)
        }
    }

    /// Counts of pending and rejected mutations, the last sync, and the store's identity.
    public func status() async throws -> ClientStatus {
        try await store.pool.read { db in
            let state = try StoreState.fetch(db)
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return ClientStatus(
                pending: try count("SELECT count(*) FROM mutations"),
                rejected: try count("SELECT count(*) FROM rejected_mutations"),
                lastSync: state.lastSync,
                serverURL: state.serverURL,
                clientId: state.clientId,
                openConflicts: try count("SELECT count(*) FROM conflicts WHERE resolved = 0"),
                pendingAttachments: try count("SELECT count(*) FROM attachments WHERE uploaded = 0"),
                currency: state.currency
            )
        }
    }

    /// The queue of mutations not yet on the server, oldest first.
    public func pendingMutations() async throws -> [QueuedMutation] { try store.pendingMutations() }

    /// Mutations the server rejected, with its problem, oldest first.
    public func rejectedMutations() async throws -> [RejectedMutation] { try store.rejectedMutations() }

    /// Open conflicts as of the last sync (and the push answers since).
    public func conflicts() async throws -> [Conflict] { try store.openConflicts() }

    /// A cached template: a given version, or the latest cached one.
    public func template(id: String, version: Int? = nil) async throws -> Template? {
        try await store.pool.read { db in try ClientStore.template(id: id, version: version, db) }
    }
}
