import Foundation
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    /// One transaction under the tenant's row lock: versions are taken from the tenant row and committed before the
    /// lock passes to the next push, so a pull can never see version N+1 without N. The backend loads the reads the
    /// batch declares (``PostgresTenantContext/loadDeclared(clientId:mutations:connection:logger:)``), the rules run
    /// once on that snapshot in memory, and their writes are flushed: a push of 500 mutations costs a handful of
    /// round trips.
    public func push(tenantId: Int64, clientId: String, mutations: [IncomingMutation]) async throws -> PushResult {
        try await pushCountingRuns(tenantId: tenantId, clientId: clientId, mutations: mutations).result
    }

    /// ``push(tenantId:clientId:mutations:)``, also saying how many times the rules ran (1 when the declaration was
    /// complete), for the tests that hold the declaration complete.
    func pushCountingRuns(
        tenantId: Int64,
        clientId: String,
        mutations: [IncomingMutation]
    ) async throws -> (result: PushResult, runs: Int) {
        let now = clock.now()
        let hlc = self.hlc
        let logger = self.logger
        return try await withTenantLock(tenantId: tenantId, now: now) { context, connection in
            try await context.loadDeclared(
                clientId: clientId,
                mutations: mutations,
                connection: connection,
                logger: logger
            )
            let result = try await context.settleStamped(
                hlc: hlc,
                connection: connection,
                logger: logger,
                declared: true
            ) { context, start in
                var engine = PushEngine(context: context, clientId: clientId, stamps: start)
                return (try engine.run(mutations), engine.stamps)
            }
            return (result, context.runs)
        }
    }

    /// The tenant's counters and the page come from one statement, hence one snapshot: the cursor handed out never
    /// runs ahead of the rows read.
    public func pull(tenantId: Int64, since: String?, limit: Int) async throws -> PullPage {
        let cursor = try SyncCursor(since)
        let logger = self.logger
        let after = cursor.version
        let fetch = Int64(limit + 1)
        return try await withConnection { connection in
            let rows = try await connection.rows(
                """
                SELECT t.version, t.purged_version, r.entity, r.id, r.version, r.deleted, r.fields
                FROM tenants t
                LEFT JOIN LATERAL (
                    SELECT entity, id, version, deleted, fields FROM rows
                    WHERE tenant_id = t.id AND version > \(after) ORDER BY version LIMIT \(fetch)
                ) r ON TRUE
                WHERE t.id = \(tenantId)
                """,
                logger: logger
            )
            guard let first = rows.first else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
            let (current, purged) = try first.decode((Int64, Int64).self)
            try cursor.check(current: current, purged: purged)
            var changes: [Change] = []
            changes.reserveCapacity(min(rows.count, limit))
            for row in rows.prefix(limit) {
                let (_, _, entity, id, version, deleted, fields) = try row.decode(
                    (Int64, Int64, String?, String?, Int64?, Bool?, String?).self
                )
                guard let entity, let id, let version, let deleted, let fields else { continue }
                changes.append(
                    Change(entity: entity, entityId: id, version: version, deleted: deleted, fieldsJSON: fields)
                )
            }
            let hasMore = rows.count > limit
            let next = cursor.next(last: changes.last?.version, hasMore: hasMore, current: current, purged: purged)
            return PullPage(changes: changes, cursor: next.text, hasMore: hasMore)
        }
    }

    /// Tenant by tenant, each under its row lock, so that a purge and a push of the same tenant never interleave.
    public func purge(before: Date) async throws -> Int {
        let cutoff = before.timeIntervalSince1970
        let logger = self.logger
        let tenants = try await withConnection { connection in
            var tenants: [Int64] = []
            for try await tenant in try await connection.query(
                "SELECT DISTINCT tenant_id FROM rows WHERE deleted AND updated_at < \(cutoff)",
                logger: logger
            ).decode(Int64.self) {
                tenants.append(tenant)
            }
            return tenants
        }
        var removed = 0
        for tenant in tenants {
            removed += try await transaction { connection in
                try await connection.query("SELECT 1 FROM tenants WHERE id = \(tenant) FOR UPDATE", logger: logger)
                let rows = try await connection.rows(
                    """
                    WITH gone AS (
                        DELETE FROM rows WHERE tenant_id = \(tenant) AND deleted AND updated_at < \(cutoff)
                        RETURNING id, entity, version
                    ), kept AS (
                        INSERT INTO purged_ids (tenant_id, id, entity) SELECT \(tenant), id, entity FROM gone
                        ON CONFLICT DO NOTHING
                    )
                    SELECT count(*)::int8, coalesce(max(version), 0)::int8 FROM gone
                    """,
                    logger: logger
                )
                var count: Int64 = 0
                var highest: Int64 = 0
                if let row = rows.first { (count, highest) = try row.decode((Int64, Int64).self) }
                try await connection.query(
                    "UPDATE tenants SET purged_version = greatest(purged_version, \(highest)) WHERE id = \(tenant)",
                    logger: logger
                )
                return Int(count)
            }
        }
        try await withConnection { connection in
            try await connection.query("DELETE FROM mutation_outcomes WHERE created_at < \(cutoff)", logger: logger)
            try await connection.query("DELETE FROM web_sessions WHERE expires_at < \(cutoff)", logger: logger)
        }
        return removed
    }
}
