import Foundation
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    public func conflicts(
        tenantId: Int64,
        resolved: Bool?,
        entityId: String?,
        cursor: String?,
        limit: Int
    ) async throws -> Page<ConflictRecord> {
        let after = try ListCursor.decode(cursor)
        let logger = self.logger
        var binds = PostgresBindings()
        binds.append(tenantId)
        binds.append(after)
        var sql = "SELECT \(ConflictRecord.postgresColumns) FROM conflicts WHERE tenant_id = $1 AND seq > $2"
        if let resolved {
            binds.append(resolved)
            sql += " AND resolved = $\(binds.count)"
        }
        if let entityId {
            binds.append(entityId.lowercased())
            sql += " AND entity_id = $\(binds.count)"
        }
        binds.append(Int64(limit + 1))
        sql += " ORDER BY seq LIMIT $\(binds.count)"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await withConnection { connection in
            postgresPage(try await connection.rows(query, logger: logger).map(ConflictRecord.postgres), limit: limit)
        }
    }

    /// A person's choice is a write with a new version: it takes the tenant's row lock like a push.
    public func resolveConflict(tenantId: Int64, id: String, value: JSONValue) async throws -> ConflictRecord {
        let now = clock.now()
        let hlc = self.hlc
        let logger = self.logger
        return try await withTenantLock(tenantId: tenantId, now: now) { context, connection in
            guard
                let row = try await connection.rows(
                    """
                    SELECT \(unescaped: ConflictRecord.postgresColumns) FROM conflicts
                    WHERE tenant_id = \(tenantId) AND id = \(id.lowercased())
                    """,
                    logger: logger
                ).first
            else { throw StoreError.notFound("conflict \(id) does not exist") }
            let found = try ConflictRecord.postgres(row).1
            guard !found.resolved else { return found }
            // The one read the rule makes, declared: the row the conflict is about.
            var reads = PostgresTenantContext.Misses()
            reads.rows = [found.entityId]
            try await context.load(reads, connection: connection, logger: logger)
            return try await context.settleStamped(
                hlc: hlc,
                connection: connection,
                logger: logger,
                declared: true
            ) { context, start in
                var stamps = start
                let stamp = stamps.tick()
                let (updated, resolved) = try ConflictResolution.apply(
                    found,
                    to: try context.row(id: found.entityId),
                    value: value,
                    stamp: stamp,
                    now: now,
                    nextVersion: context.nextVersion
                )
                try context.save(updated)
                try context.save(resolved)
                return (resolved, stamps)
            }
        }
    }
}
