import RevisitModel

/// An edit of one row, before it gets its mutation id, HLC and base version in the transaction that queues it.
struct MutationDraft: Sendable {
    var entity: EntityKind
    var entityId: String
    var op: String = "upsert"
    var fields: [String: JSONValue]
    /// The inspection an item or inspection edit belongs to, so that showing an inspection finds its pending edits.
    var inspectionId: String?
}
