import Foundation
import Logging
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    public func settings(tenantId: Int64) async throws -> TenantSettings {
        let logger = self.logger
        return try await withConnection { connection in
            let rows = try await connection.rows(
                "SELECT settings FROM tenants WHERE id = \(tenantId)",
                logger: logger
            )
            // As on SQLite: an unknown tenant is not found; a tenant without (readable) settings has the defaults.
            guard let row = rows.first else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
            return TenantSettings(storedText: try row.decode(String?.self))
        }
    }

    /// Under the tenant's row lock, so that two patches of different keys never lose one another, and a push that
    /// plans follow-ups sees the settings before or after the patch, never half of it.
    public func updateSettings(tenantId: Int64, patch: [String: JSONValue]) async throws -> TenantSettings {
        let now = clock.now()
        let logger = self.logger
        return try await withTenantLock(tenantId: tenantId, now: now) { context, connection in
            let updated: TenantSettings
            do {
                updated = try context.tenantSettings.patched(with: patch)
            } catch let problem as MutationProblem {
                throw StoreError.validation(problem.detail)
            }
            let text = String(decoding: try JSONEncoder().encode(updated), as: UTF8.self)
            try await connection.query("UPDATE tenants SET settings = \(text) WHERE id = \(tenantId)", logger: logger)
            return updated
        }
    }

    public func followups(
        tenantId: Int64,
        state: FollowUpState?,
        vehicleId: String?,
        dueBefore: CalendarDate?,
        covered: Bool?,
        cursor: String?,
        limit: Int
    ) async throws -> Page<FollowUpRecord> {
        let after = try ListCursor.decode(cursor)
        let logger = self.logger
        var binds = PostgresBindings()
        binds.append(tenantId)
        binds.append(after)
        var sql = "SELECT seq, body FROM followups WHERE tenant_id = $1 AND seq > $2"
        if let state {
            binds.append(state.rawValue)
            sql += " AND state = $\(binds.count)"
        }
        if let vehicleId {
            binds.append(vehicleId.lowercased())
            sql += " AND vehicle_id = $\(binds.count)"
        }
        if let dueBefore {
            binds.append(dueBefore.description)
            sql += " AND due_date < $\(binds.count)"
        }
        if let covered {
            binds.append(covered)
            sql += " AND covered = $\(binds.count)"
        }
        binds.append(Int64(limit + 1))
        sql += " ORDER BY seq LIMIT $\(binds.count)"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await withConnection { connection in
            var rows: [(Int64, FollowUpRecord)] = []
            for try await (seq, body) in try await connection.query(query, logger: logger).decode((Int64, String).self)
            {
                rows.append((seq, try FollowUpRecord(storedText: body)))
            }
            return postgresPage(rows, limit: limit)
        }
    }

    public func callList(
        tenantId: Int64,
        from: CalendarDate,
        to: CalendarDate,
        state: FollowUpState?,
        limit: Int
    ) async throws -> [FollowUpRecord] {
        let logger = self.logger
        let bodies = try await withConnection { connection in
            var bodies: [String] = []
            for try await body in try await connection.query(
                """
                SELECT body FROM followups
                WHERE tenant_id = \(tenantId) AND due_date BETWEEN \(from.description) AND \(to.description)
                    AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                ORDER BY due_date, seq LIMIT \(Int64(limit))
                """,
                logger: logger
            ).decode(String.self) {
                bodies.append(body)
            }
            return bodies
        }
        return try await FollowUpRecord.parsed(bodies).inCallOrder()
    }

    public func followup(tenantId: Int64, id: String) async throws -> FollowUpRecord? {
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.followup(connection, tenantId: tenantId, id: id, forUpdate: false, logger: logger)
        }
    }

    private static func followup(
        _ connection: PostgresConnection,
        tenantId: Int64,
        id: String,
        forUpdate: Bool,
        logger: Logger
    ) async throws -> FollowUpRecord? {
        let rows = try await connection.rows(
            """
            SELECT body FROM followups WHERE tenant_id = \(tenantId) AND id = \(id.lowercased())
            \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """,
            logger: logger
        )
        return try rows.first.map { try FollowUpRecord(storedText: try $0.decode(String.self)) }
    }

    /// The tenant's row lock comes first, as for a push: a push that closes an inspection may supersede or fulfil
    /// this very follow-up, and taking the locks in the other order would deadlock against it.
    public func recordOutcome(tenantId: Int64, id: String, _ request: OutcomeRequest) async throws -> FollowUpRecord {
        let logger = self.logger
        return try await callRound(tenantId: tenantId) { context, connection in
            guard
                let current = try await Self.followup(
                    connection,
                    tenantId: tenantId,
                    id: id,
                    forUpdate: true,
                    logger: logger
                )
            else { throw StoreError.notFound("follow-up \(id) does not exist") }
            var preload = PostgresTenantContext.Misses()
            preload.rows.insert(current.vehicleId)
            preload.followupVehicles.insert(current.vehicleId)
            try await context.load(preload, connection: connection, logger: logger)
            return { writer in try writer.recordOutcome(current, request) }
        }
    }

    /// Every instance runs the scheduler, so releases are claimed rather than read: per tenant, under its row lock
    /// (taken before the follow-up rows, in a push's order), the due rows are locked with `SKIP LOCKED`, and a row
    /// another instance released is no longer `scheduled` when the lock passes. The first query only finds which
    /// tenants have due follow-ups, oldest first; it locks nothing.
    public func releaseDueFollowups(now: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let logger = self.logger
        let at = now.timeIntervalSince1970
        let tenants = try await withConnection { connection in
            var tenants: [Int64] = []
            for try await tenantId in try await connection.query(
                """
                SELECT tenant_id FROM followups WHERE state = 'scheduled' AND release_at <= \(at)
                GROUP BY tenant_id ORDER BY min(release_at) LIMIT \(Int64(limit))
                """,
                logger: logger
            ).decode(Int64.self) {
                tenants.append(tenantId)
            }
            return tenants
        }
        var released = 0
        for tenantId in tenants where released < limit {
            let remaining = Int64(limit - released)
            released += try await withTenantLock(tenantId: tenantId, now: now) { context, connection in
                var due: [FollowUpRecord] = []
                for try await body in try await connection.query(
                    """
                    SELECT body FROM followups
                    WHERE tenant_id = \(tenantId) AND state = 'scheduled' AND release_at <= \(at)
                    ORDER BY release_at LIMIT \(remaining) FOR UPDATE SKIP LOCKED
                    """,
                    logger: logger
                ).decode(String.self) {
                    due.append(try FollowUpRecord(storedText: body))
                }
                guard !due.isEmpty else { return 0 }
                // The due rows are the whole snapshot: the release rule reads nothing else, so it runs once.
                try await context.settle(connection: connection, logger: logger, declared: true) { context in
                    let writer = FollowUpWriter(context: context)
                    for var record in due {
                        try writer.change(&record, to: .released, event: .followupReleased)
                    }
                }
                return due.count
            }
        }
        return released
    }

    public func followupCounts() async throws -> [String: Int] {
        let logger = self.logger
        return try await withConnection { connection in
            var counts: [String: Int] = [:]
            for try await (state, count) in try await connection.query(
                "SELECT state, count(*) FROM followups GROUP BY state",
                logger: logger
            ).decode((String, Int).self) {
                counts[state] = count
            }
            return counts
        }
    }

    /// Grouped in the database (see ``FollowUpReportBuilder`` for why SQLite counts in Swift instead).
    public func followupReport(tenantId: Int64, from: CalendarDate, to: CalendarDate) async throws -> [ReportMonth] {
        let settings = try await settings(tenantId: tenantId)
        let builder = FollowUpReportBuilder(zone: TimeZone(identifier: settings.timeZone) ?? .gmt, from: from, to: to)
        let window = builder.window
        var binds = PostgresBindings()
        binds.append(tenantId)
        binds.append(window.start)
        binds.append(window.end)
        let query = PostgresQuery(unsafeSQL: builder.groupingSQL(tenant: "$1", start: "$2", end: "$3"), binds: binds)
        let logger = self.logger
        let rows = try await withConnection { connection in
            var rows: [ReportRow] = []
            for try await (month, state, released, covered, reason, amount, count) in try await connection.query(
                query,
                logger: logger
            ).decode((Int, String, Bool, Bool, String?, Int64, Int64).self) {
                guard let state = FollowUpState(rawValue: state) else { continue }
                rows.append(
                    ReportRow(
                        month: month,
                        state: state,
                        released: released,
                        amount: amount,
                        covered: covered,
                        reason: reason,
                        count: Int(count)
                    )
                )
            }
            return rows
        }
        return builder.months(rows)
    }

    public func events(tenantId: Int64, after: String?, limit: Int) async throws -> EventPage {
        let position = try ListCursor.decode(after)
        let logger = self.logger
        return try await withConnection { connection in
            let rows = try await connection.rows(
                """
                SELECT id, position, type, timestamp, body FROM events
                WHERE tenant_id = \(tenantId) AND position > \(position) ORDER BY position LIMIT \(Int64(limit + 1))
                """,
                logger: logger
            )
            let events = try rows.prefix(limit).map { row in
                let (id, position, type, timestamp, body) = try row.decode(
                    (String, Int64, String, Double, ByteBuffer).self
                )
                return EventRecord(
                    id: id,
                    position: position,
                    type: type,
                    timestamp: Date(timeIntervalSince1970: timestamp),
                    body: [UInt8](body.readableBytesView)
                )
            }
            return EventPage(
                events: events,
                cursor: String(events.last?.position ?? position),
                hasMore: rows.count > limit
            )
        }
    }
}
