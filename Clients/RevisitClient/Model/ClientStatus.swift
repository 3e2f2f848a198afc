import Foundation

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
