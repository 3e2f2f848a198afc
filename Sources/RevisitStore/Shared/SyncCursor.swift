import Foundation

/// The pull cursor, opaque to clients. Normally the last version a client holds (`"1301"`). A pull that starts from
/// scratch pages through versions below the tombstone purge, which would otherwise look like a cursor the purge
/// has overtaken; its cursor carries the purge it started after (`"500~1000"`), and answers 410 only if another
/// purge has happened since. The last page of any pull answers the tenant's current version.
public struct SyncCursor: Sendable, Equatable {
    public var version: Int64
    /// For a pull from scratch: the purged version when it began.
    public var startedAfterPurge: Int64?

    public init(version: Int64, startedAfterPurge: Int64? = nil) {
        self.version = version
        self.startedAfterPurge = startedAfterPurge
    }

    init(_ text: String?) throws {
        guard let text, !text.isEmpty else {
            self.init(version: 0)
            return
        }
        let parts = text.split(separator: "~", omittingEmptySubsequences: false)
        guard parts.count <= 2, let version = Int64(parts[0]), version >= 0 else {
            throw StoreError.malformed("cursor \"\(text)\" is not a cursor this server handed out")
        }
        var floor: Int64?
        if parts.count == 2 {
            guard let value = Int64(parts[1]), value >= 0 else {
                throw StoreError.malformed("cursor \"\(text)\" is not a cursor this server handed out")
            }
            floor = value
        }
        self.init(version: version, startedAfterPurge: floor)
    }

    /// The version a cursor handed out by this server stands for; nil for one it did not hand out.
    public static func version(of text: String?) -> Int64? { try? SyncCursor(text).version }

    var text: String { startedAfterPurge.map { "\(version)~\($0)" } ?? String(version) }

    /// A cursor older than the tombstone purge, or newer than the tenant (a restored database), cannot be continued.
    func check(current: Int64, purged: Int64) throws {
        if version > current {
            throw StoreError.cursorExpired(
                "the cursor \(version) is ahead of this server (version \(current)): pull again from the start"
            )
        }
        let overtaken = startedAfterPurge.map { $0 < purged } ?? (version > 0 && version < purged)
        if overtaken {
            throw StoreError.cursorExpired(
                "tombstones up to version \(purged) were purged after the horizon: pull again from the start"
            )
        }
    }

    /// The cursor after a page.
    func next(last: Int64?, hasMore: Bool, current: Int64, purged: Int64) -> SyncCursor {
        guard hasMore else { return SyncCursor(version: max(last ?? version, current)) }
        let reached = last ?? version
        let floor = startedAfterPurge ?? (version == 0 && reached < purged ? purged : nil)
        return SyncCursor(version: reached, startedAfterPurge: floor)
    }
}
