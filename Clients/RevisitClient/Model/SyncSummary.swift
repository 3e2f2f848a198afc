import Foundation

/// What a completed sync did.
public struct SyncSummary: Sendable, Hashable {
    /// Photos sent with PUT (those the server already had are not counted).
    public var uploaded: Int
    /// Mutations the server applied in this sync (including duplicates of ones it had applied before).
    public var applied: Int
    /// Mutations the server rejected in this sync; see ``RevisitClient/rejectedMutations()``.
    public var rejected: Int
    /// Mutations answered `duplicate`: sent before, their answer lost; never applied twice.
    public var duplicates: Int
    /// Rows received from the pull.
    public var pulled: Int
    /// Conflicts the push answers reported.
    public var conflicts: Int
    /// Whether the server expired the cursor and the store pulled from the start.
    public var resynced: Bool
    /// When the sync finished.
    public var finishedAt: Date
    /// The store's cursor after the sync (opaque; for logs such as `revisit sync --watch`'s).
    public var cursor: String?

    public init(
        uploaded: Int = 0,
        applied: Int = 0,
        rejected: Int = 0,
        duplicates: Int = 0,
        pulled: Int = 0,
        conflicts: Int = 0,
        resynced: Bool = false,
        finishedAt: Date = Date(timeIntervalSince1970: 0),
        cursor: String? = nil
    ) {
        self.uploaded = uploaded
        self.applied = applied
        self.rejected = rejected
        self.duplicates = duplicates
        self.pulled = pulled
        self.conflicts = conflicts
        self.resynced = resynced
        self.finishedAt = finishedAt
        self.cursor = cursor
    }
}
