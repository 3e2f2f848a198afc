import Foundation
import RevisitModel

/// What `revisit status` shows: how much is waiting, what was refused, and when the store last synced.
public struct ClientStatus: Sendable, Hashable {
    /// Mutations waiting to be pushed.
    public var pending: Int
    /// Mutations the server rejected, kept until a person deals with them.
    public var rejected: Int
    /// The end of the last sync that completed; nil before the first.
    public var lastSync: Date?
    /// The server this store syncs with; nil before `login`.
    public var serverURL: URL?
    /// This store's `clientId` (DESIGN section 4).
    public var clientId: String
    /// Open conflicts the store knows of.
    public var openConflicts: Int
    /// Photos kept locally that the server does not have yet.
    public var pendingAttachments: Int
    /// The currency a typed cost is in.
    public var currency: String
}

/// A mutation in the local queue, waiting to be pushed.
public struct QueuedMutation: Sendable, Hashable {
    /// The mutation id, per `clientId`, increasing by one.
    public var id: Int64
    public var entity: EntityKind
    public var entityId: String
    /// `upsert` or `delete`.
    public var op: String
    /// The row version this store had seen when the edit was made.
    public var baseVersion: Int64
    public var hlc: HLC
    public var fields: [String: JSONValue]
    public var createdAt: Date
}

/// A mutation the server rejected: kept with the server's problem, shown to the user, and never sent again on its
/// own (DESIGN section 4: nothing is silently dropped).
public struct RejectedMutation: Sendable, Hashable {
    /// The id it was pushed with.
    public var mutationId: Int64
    public var entity: String
    public var entityId: String
    public var op: String
    public var fields: [String: JSONValue]
    /// Why the server refused it.
    public var problem: MutationProblem
    public var createdAt: Date
    public var rejectedAt: Date
}

/// A conflict the server recorded (DESIGN section 5): two or more writes to one field that did not see each other.
public struct Conflict: Sendable, Hashable {
    public var id: String
    public var entity: String
    public var entityId: String
    public var field: String
    /// `severity`, `lifecycle`, `union`, `last-writer-wins`, `final` or `delete-wins`.
    public var rule: String
    /// The field's value under the rule.
    public var winner: JSONValue
    public var writes: [OpenWrite]
    public var resolved: Bool
    public var createdAt: Date
}
