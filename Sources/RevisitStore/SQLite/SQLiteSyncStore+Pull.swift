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
            try db.execute(sql: "DELETE FROM web_sessions WHERE expires_at < ?", arguments: [cutoff])
            return tombstones.count
        }
    }
}
