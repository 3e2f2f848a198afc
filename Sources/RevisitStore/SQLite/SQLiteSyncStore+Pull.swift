import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    public func pull(tenantId: Int64, since: String?, limit: Int) async throws -> PullPage {
        let after = try SyncCursor.decode(since)
        return try await pool.read { db in
            guard
                let tenant = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT version, purged_version FROM tenants WHERE id = ?"),
                    arguments: [tenantId])
            else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
            try SyncCursor.check(after, current: tenant["version"], purged: tenant["purged_version"])
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT entity, id, version, deleted, fields FROM rows
                        WHERE tenant_id = ? AND version > ? ORDER BY version LIMIT ?
                        """), arguments: [tenantId, after, limit + 1])
            let changes = try rows.prefix(limit).map { row in
                Change(
                    entity: row["entity"], entityId: row["id"], version: row["version"], deleted: row["deleted"],
                    fields: try JSONValue.parse(Data((row["fields"] as String).utf8)).objectValue ?? [:])
            }
            let cursor = changes.last?.version ?? after
            return PullPage(changes: changes, cursor: String(cursor), hasMore: rows.count > limit)
        }
    }

    public func purge(before: Date) async throws -> Int {
        try await pool.write { db in
            let cutoff = before.timeIntervalSince1970
            let tombstones = try Row.fetchAll(
                db, sql: "SELECT tenant_id, id, entity, version FROM rows WHERE deleted = 1 AND updated_at < ?",
                arguments: [cutoff])
            var highest: [Int64: Int64] = [:]
            for row in tombstones {
                let tenant: Int64 = row["tenant_id"]
                highest[tenant] = max(highest[tenant] ?? 0, row["version"])
                try db.execute(
                    sql: "INSERT OR IGNORE INTO purged_ids (tenant_id, id, entity) VALUES (?, ?, ?)",
                    arguments: [tenant, row["id"] as String, row["entity"] as String])
            }
            try db.execute(sql: "DELETE FROM rows WHERE deleted = 1 AND updated_at < ?", arguments: [cutoff])
            for (tenant, version) in highest {
                try db.execute(
                    sql: "UPDATE tenants SET purged_version = max(purged_version, ?) WHERE id = ?",
                    arguments: [version, tenant])
            }
            try db.execute(sql: "DELETE FROM mutation_outcomes WHERE created_at < ?", arguments: [cutoff])
            return tombstones.count
        }
    }
}

/// The pull cursor: the last version a client has, as a decimal string (opaque to clients).
public enum SyncCursor {
    static func decode(_ cursor: String?) throws -> Int64 {
        guard let cursor, !cursor.isEmpty else { return 0 }
        guard let value = Int64(cursor), value >= 0 else {
            throw StoreError.malformed("cursor \"\(cursor)\" is not a cursor this server handed out")
        }
        return value
    }

    /// A cursor older than the tombstone purge, or newer than the tenant (a restored database), cannot be continued.
    static func check(_ since: Int64, current: Int64, purged: Int64) throws {
        if since > 0, since < purged {
            throw StoreError.cursorExpired(
                "tombstones up to version \(purged) were purged after the horizon: pull again from the start")
        }
        if since > current {
            throw StoreError.cursorExpired(
                "the cursor \(since) is ahead of this server (version \(current)): pull again from the start")
        }
    }
}
