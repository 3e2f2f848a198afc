import Foundation
import GRDB
import RevisitModel

/// Conflict records in SQLite.
enum SQLiteConflicts {
    static func save(_ conflict: ConflictRecord, tenantId: Int64, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO conflicts (id, tenant_id, entity, entity_id, field, rule, winner, writes, resolved,
                                       created_at, resolved_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, winner = excluded.winner,
                    writes = excluded.writes, resolved = excluded.resolved, resolved_at = excluded.resolved_at
                """
        ).execute(arguments: [
            conflict.id, tenantId, conflict.entity, conflict.entityId, conflict.field, conflict.rule,
            conflict.storedWinner, conflict.storedWrites, conflict.resolved, conflict.createdAt.timeIntervalSince1970,
            conflict.resolvedAt?.timeIntervalSince1970,
        ])
    }
}

extension ConflictRecord {
    init(row: Row) throws {
        try self.init(
            id: row["id"],
            entity: row["entity"],
            entityId: row["entity_id"],
            field: row["field"],
            rule: row["rule"],
            storedWinner: row["winner"],
            storedWrites: row["writes"],
            resolved: row["resolved"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            resolvedAt: (row["resolved_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        )
    }
}

extension SQLiteSyncStore {
    public func conflicts(
        tenantId: Int64,
        resolved: Bool?,
        entityId: String?,
        cursor: String?,
        limit: Int
    ) async throws -> Page<ConflictRecord> {
        let after = try ListCursor.decode(cursor)
        return try await pool.read { db in
            var sql = "SELECT * FROM conflicts WHERE tenant_id = ? AND seq > ?"
            var arguments: StatementArguments = [tenantId, after]
            if let resolved {
                sql += " AND resolved = ?"
                _ = arguments.append(contentsOf: [resolved])
            }
            if let entityId {
                sql += " AND entity_id = ?"
                _ = arguments.append(contentsOf: [entityId.lowercased()])
            }
            sql += " ORDER BY seq LIMIT ?"
            _ = arguments.append(contentsOf: [limit + 1])
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            return try ListCursor.page(rows, limit: limit) { try ConflictRecord(row: $0) }
        }
    }

    public func resolveConflict(tenantId: Int64, id: String, value: JSONValue) async throws -> ConflictRecord {
        let now = clock.now()
        let hlc = self.hlc
        return try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM conflicts WHERE tenant_id = ? AND id = ?",
                    arguments: [tenantId, id.lowercased()]
                )
            else { throw StoreError.notFound("conflict \(id) does not exist") }
            var conflict = try ConflictRecord(row: row)
            guard !conflict.resolved else { return conflict }
            let context = try SQLitePushContext(db: db, tenantId: tenantId, now: now, feed: commits)
            var stamps = hlc.begin(stored: context.storedHLC)
            let (updated, resolved) = try ConflictResolution.apply(
                conflict,
                to: try context.row(id: conflict.entityId),
                value: value,
                stamp: stamps.tick(),
                now: now,
                nextVersion: context.nextVersion
            )
            try context.save(updated)
            try context.commitVersion(highest: stamps.highest)
            hlc.commit(stamps)
            try context.save(resolved)
            conflict = resolved
            return conflict
        }
    }
}
