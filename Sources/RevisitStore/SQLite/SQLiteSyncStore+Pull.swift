import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    public func pull(tenantId: Int64, since: String?, limit: Int) async throws -> PullPage {
        let cursor = try SyncCursor(since)
        return try await pool.read { db in
            guard
                let tenant = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT version, purged_version FROM tenants WHERE id = ?"),
                    arguments: [tenantId]
                )
            else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
            let current: Int64 = tenant["version"]
            let purged: Int64 = tenant["purged_version"]
            try cursor.check(current: current, purged: purged)
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT entity, id, version, deleted, fields FROM rows
                        WHERE tenant_id = ? AND version > ? ORDER BY version LIMIT ?
                        """
                ),
                arguments: [tenantId, cursor.version, limit + 1]
            )
            let changes = rows.prefix(limit).map { row in
                Change(
                    entity: row["entity"],
                    entityId: row["id"],
                    version: row["version"],
                    deleted: row["deleted"],
                    fieldsJSON: row["fields"]
                )
            }
            let hasMore = rows.count > limit
            let next = cursor.next(last: changes.last?.version, hasMore: hasMore, current: current, purged: purged)
            return PullPage(changes: changes, cursor: next.text, hasMore: hasMore)
        }
    }

    public func purge(before: Date) async throws -> Int {
        try await pool.write { db in
            let cutoff = before.timeIntervalSince1970
            let tombstones = try Row.fetchAll(
                db,
                sql: "SELECT tenant_id, id, entity, version FROM rows WHERE deleted = 1 AND updated_at < ?",
                arguments: [cutoff]
            )
            var highest: [Int64: Int64] = [:]
            for row in tombstones {
                let tenant: Int64 = row["tenant_id"]
                highest[tenant] = max(highest[tenant] ?? 0, row["version"])
                try db.execute(
                    sql: "INSERT OR IGNORE INTO purged_ids (tenant_id, id, entity) VALUES (?, ?, ?)",
                    arguments: [tenant, row["id"] as String, row["entity"] as String]
                )
            }
            try db.execute(sql: "DELETE FROM rows WHERE deleted = 1 AND updated_at < ?", arguments: [cutoff])
            for (tenant, version) in highest {
                try db.execute(
                    sql: "UPDATE tenants SET purged_version = max(purged_version, ?) WHERE id = ?",
                    arguments: [version, tenant]
                )
            }
            try db.execute(sql: "DELETE FROM mutation_outcomes WHERE created_at < ?", arguments: [cutoff])
            return tombstones.count
        }
    }
}

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
