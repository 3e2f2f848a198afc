import Foundation
import RevisitModel

/// A mutation in the local queue, waiting to be pushed.
public struct QueuedMutation: Sendable, Hashable {
    /// The mutation id, per `clientId`, increasing by one.
    public var id: Int64
    /// The kind of row.
    public var entity: EntityKind
    /// The row's id.
    public var entityId: String
    /// `upsert` or `delete`.
    public var op: String
    /// The row version this store had seen when the edit was made.
    public var baseVersion: Int64
    /// The store's clock at the edit.
    public var hlc: HLC
    /// The fields it writes, validated and normalised.
    public var fields: [String: JSONValue]
    /// When the edit was made.
    public var createdAt: Date
}
