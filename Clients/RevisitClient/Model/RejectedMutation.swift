import Foundation
import RevisitModel

/// A mutation the server rejected: kept with the server's problem, shown to the user, and never sent again on its
/// own (DESIGN section 4: nothing is silently dropped).
public struct RejectedMutation: Sendable, Hashable {
    /// The id it was pushed with.
    public var mutationId: Int64
    /// The kind of row.
    public var entity: String
    /// The row's id.
    public var entityId: String
    /// `upsert` or `delete`.
    public var op: String
    /// What it tried to write.
    public var fields: [String: JSONValue]
    /// Why the server refused it.
    public var problem: MutationProblem
    /// When the edit was made.
    public var createdAt: Date
    /// When the rejection arrived.
    public var rejectedAt: Date
}
