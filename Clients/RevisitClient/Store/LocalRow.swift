import RevisitModel

/// A row as this store shows it: the server's copy with the pending edits merged in by ``RevisitModel/Merge``,
/// the same code the server runs, so what a mechanic sees offline is what the server will make of it.
struct LocalRow: Sendable {
    var entity: EntityKind
    var id: String
    /// The server version last pulled; nil for a row that exists only in the queue.
    var serverVersion: Int64?
    var deleted: Bool
    var values: [String: JSONValue]
    var hasPending: Bool

    /// Pending writes are stamped above every server version, in queue order, so they close each other like the
    /// server's later versions would.
    static let pendingStampBase: Int64 = 1 << 53

    /// Composes a row from its server copy and its pending mutations (in id order).
    ///
    /// - Parameters:
    ///   - ignoringPending: leave pending edits out (they will be rejected, e.g. edits of a final inspection).
    /// - Returns: nil when neither the server nor the queue knows the row.
    static func compose(
        entity: EntityKind,
        id: String,
        server: ServerRow?,
        pending: [QueuedMutation],
        clientId: String,
        ignoringPending: Bool = false
    ) -> LocalRow? {
        guard server != nil || !pending.isEmpty else { return nil }
        var state = server?.mergeState ?? MergeState()
        var deleted = server?.deleted ?? false
        let serverState =
            entity == .inspection ? server?.fields["state"]?.stringValue.flatMap(InspectionState.init(rawValue:)) : nil
        if !ignoringPending {
            for mutation in pending.sorted(by: { $0.id < $1.id }) {
                // The server's rule: what it would refuse, this row leaves out.
                guard WriteAdmission.upsert(deleted: deleted, inspection: serverState) == .admitted else { break }
                if mutation.op == "delete" {
                    deleted = true
                    continue
                }
                state =
                    Merge.apply(
                        fields: mutation.fields,
                        clientId: clientId,
                        hlc: mutation.hlc,
                        baseVersion: mutation.baseVersion,
                        version: pendingStampBase + mutation.id,
                        entity: entity,
                        to: state
                    ).state
            }
        }
        return LocalRow(
            entity: entity,
            id: id,
            serverVersion: server?.version,
            deleted: deleted,
            values: Merge.values(of: state, entity: entity),
            hasPending: !pending.isEmpty
        )
    }

    func string(_ field: String) -> String? { values[field]?.stringValue }
    func int(_ field: String) -> Int64? { values[field]?.intValue }
}
