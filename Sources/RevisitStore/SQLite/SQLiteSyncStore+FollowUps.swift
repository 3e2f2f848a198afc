import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    public func settings(tenantId: Int64) async throws -> TenantSettings {
        let now = clock.now()
        return try await pool.read { db in
            try SQLitePushContext(db: db, tenantId: tenantId, now: now, feed: commits).settings()
        }
    }

    public func updateSettings(tenantId: Int64, patch: [String: JSONValue]) async throws -> TenantSettings {
        let now = clock.now()
        return try await pool.write { db in
            let current = try SQLitePushContext(db: db, tenantId: tenantId, now: now, feed: commits).settings()
            let updated: TenantSettings
            do {
                updated = try current.patched(with: patch)
            } catch let problem as MutationProblem {
                throw StoreError.validation(problem.detail)
            }
            try db.execute(
                sql: "UPDATE tenants SET settings = ? WHERE id = ?",
                arguments: [String(decoding: try JSONEncoder().encode(updated), as: UTF8.self), tenantId]
            )
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
        return try await pool.read { db in
            var sql = "SELECT seq, body FROM followups WHERE tenant_id = ? AND seq > ?"
            var arguments: StatementArguments = [tenantId, after]
            if let state {
                sql += " AND state = ?"
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            if let vehicleId {
                sql += " AND vehicle_id = ?"
                _ = arguments.append(contentsOf: [vehicleId.lowercased()])
            }
            if let dueBefore {
                sql += " AND due_date < ?"
                _ = arguments.append(contentsOf: [dueBefore.description])
            }
            if let covered {
                sql += " AND covered = ?"
                _ = arguments.append(contentsOf: [covered])
            }
            sql += " ORDER BY seq LIMIT ?"
            _ = arguments.append(contentsOf: [limit + 1])
            return try ListCursor.page(try Row.fetchAll(db, sql: sql, arguments: arguments), limit: limit) {
                try FollowUpRecord(storedText: ($0["body"] as String))
            }
        }
    }

    public func callList(
        tenantId: Int64,
        from: CalendarDate,
        to: CalendarDate,
        state: FollowUpState?,
        limit: Int
    ) async throws -> [FollowUpRecord] {
        let bodies = try await pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT body FROM followups
                    WHERE tenant_id = ? AND due_date BETWEEN ? AND ? AND (? IS NULL OR state = ?)
                    ORDER BY due_date, seq LIMIT ?
                    """,
                arguments: [tenantId, from.description, to.description, state?.rawValue, state?.rawValue, limit]
            )
        }
        return try await FollowUpRecord.parsed(bodies).inCallOrder()
    }

    public func followup(tenantId: Int64, id: String) async throws -> FollowUpRecord? {
        try await pool.read { db in try Self.followup(db, tenantId: tenantId, id: id) }
    }

    static func followup(_ db: Database, tenantId: Int64, id: String) throws -> FollowUpRecord? {
        try String.fetchOne(
            db,
            sql: "SELECT body FROM followups WHERE tenant_id = ? AND id = ?",
            arguments: [tenantId, id.lowercased()]
        ).map { try FollowUpRecord(storedText: $0) }
    }

    public func recordOutcome(tenantId: Int64, id: String, _ request: OutcomeRequest) async throws -> FollowUpRecord {
        try await callRound(tenantId: tenantId) { writer, db in
            guard let current = try Self.followup(db, tenantId: tenantId, id: id) else {
                throw StoreError.notFound("follow-up \(id) does not exist")
            }
            return try writer.recordOutcome(current, request)
        }
    }

    public func releaseDueFollowups(now: Date, limit: Int) async throws -> Int {
        try await pool.write { db in
            let due = try Row.fetchAll(
                db,
                sql: """
                    SELECT tenant_id, body FROM followups
                    WHERE state = 'scheduled' AND release_at <= ? ORDER BY release_at LIMIT ?
                    """,
                arguments: [now.timeIntervalSince1970, limit]
            )
            var contexts: [Int64: SQLitePushContext] = [:]
            for row in due {
                var record = try FollowUpRecord(storedText: (row["body"] as String))
                let tenantId: Int64 = row["tenant_id"]
                let context =
                    try contexts[tenantId] ?? SQLitePushContext(db: db, tenantId: tenantId, now: now, feed: commits)
                contexts[tenantId] = context
                try FollowUpWriter(context: context).change(&record, to: .released, event: .followupReleased)
            }
            return due.count
        }
    }

    public func followupCounts() async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM followups GROUP BY state") {
                counts[row["state"]] = row["n"]
            }
            return counts
        }
    }

    public func followupReport(tenantId: Int64, from: CalendarDate, to: CalendarDate) async throws -> [ReportMonth] {
        let settings = try await settings(tenantId: tenantId)
        let builder = FollowUpReportBuilder(zone: TimeZone(identifier: settings.timeZone) ?? .gmt, from: from, to: to)
        let index = builder.monthIndex
        let rows = try await pool.read { db in
            // One row per follow-up, read by column index (see FollowUpReportBuilder for why not GROUP BY here).
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT release_at, state, released_at IS NOT NULL, amount, covered, reason
                    FROM followups WHERE tenant_id = ? AND release_at >= ? AND release_at < ?
                    """,
                arguments: [tenantId, index.window.start, index.window.end]
            )
            var rows: [ReportRow] = []
            while let row = try cursor.next() {
                guard let month = index.month(of: row[0]), let state = FollowUpState(rawValue: row[1]) else { continue }
                rows.append(
                    ReportRow(
                        month: month,
                        state: state,
                        released: row[2],
                        amount: row[3],
                        covered: row[4],
                        reason: row[5]
                    )
                )
            }
            return rows
        }
        return builder.months(rows)
    }

    public func events(tenantId: Int64, after: String?, limit: Int) async throws -> EventPage {
        let position = try ListCursor.decode(after)
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, position, type, timestamp, body FROM events
                    WHERE tenant_id = ? AND position > ? ORDER BY position LIMIT ?
                    """,
                arguments: [tenantId, position, limit + 1]
            )
            let events = rows.prefix(limit).map { row in
                EventRecord(
                    id: row["id"],
                    position: row["position"],
                    type: row["type"],
                    timestamp: Date(timeIntervalSince1970: row["timestamp"]),
                    body: [UInt8](row["body"] as Data)
                )
            }
            return EventPage(
                events: Array(events),
                cursor: String(events.last?.position ?? position),
                hasMore: rows.count > limit
            )
        }
    }
}
