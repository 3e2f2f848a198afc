import Foundation
import RevisitModel

/// A conflict the server recorded (DESIGN section 5): two or more writes to one field that did not see each other.
public struct Conflict: Sendable, Hashable {
    /// The conflict's id on the server.
    public var id: String
    /// The kind of row.
    public var entity: String
    /// The row's id.
    public var entityId: String
    /// The field the writes disagree on.
    public var field: String
    /// `severity`, `lifecycle`, `union`, `last-writer-wins`, `final` or `delete-wins`.
    public var rule: String
    /// The field's value under the rule.
    public var winner: JSONValue
    /// The open writes, in stamp order.
    public var writes: [OpenWrite]
    /// Whether it has ended.
    public var resolved: Bool
    /// When the server recorded it.
    public var createdAt: Date
    /// For an item's conflict, the item's code and inspection, as far as this store knows the row.
    public var itemCode: String? = nil
    public var inspectionId: String? = nil
}
