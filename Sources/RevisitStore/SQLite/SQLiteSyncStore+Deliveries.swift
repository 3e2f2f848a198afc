import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    public func claimDeliveries(now: Date, limit: Int, lease: TimeInterval) async throws -> [ClaimedDelivery] {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.id, d.tenant_id, d.endpoint_id, d.event_id, d.attempts, e.body, w.url, w.secret,
                               w.previous_secret, w.previous_secret_expires_at, w.failing_since
                        FROM deliveries d
                        JOIN events e ON e.id = d.event_id
                        JOIN webhook_endpoints w ON w.id = d.endpoint_id
                        WHERE d.state = 'pending' AND d.next_attempt_at <= ?
                            AND (d.claimed_until IS NULL OR d.claimed_until <= ?)
                        ORDER BY d.next_attempt_at LIMIT ?
                        """
                ),
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, limit]
            )
            let claim = try db.cachedStatement(sql: "UPDATE deliveries SET claimed_until = ? WHERE id = ?")
            return try rows.map { row in
                try claim.execute(arguments: [now.timeIntervalSince1970 + lease, row["id"] as String])
                var secrets = [row["secret"] as String]
                if let previous = row["previous_secret"] as String?,
                    let expires = row["previous_secret_expires_at"] as Double?, expires > now.timeIntervalSince1970
                {
                    secrets.append(previous)
                }
                return ClaimedDelivery(
                    deliveryId: row["id"],
                    tenantId: row["tenant_id"],
                    endpointId: row["endpoint_id"],
                    eventId: row["event_id"],
                    url: row["url"],
                    secrets: secrets,
                    body: [UInt8](row["body"] as Data),
                    attempts: row["attempts"],
                    failingSince: (row["failing_since"] as Double?).map(Date.init(timeIntervalSince1970:))
                )
            }
        }
    }

    public func recordAttempts(_ outcomes: [AttemptOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        let plan = AttemptRecordPlan(outcomes)
        try await pool.write { db in
            let attempt = try db.cachedStatement(
                sql: """
                    INSERT INTO delivery_attempts (delivery_id, attempted_at, status_code, duration_ms, response_body,
                                                   error)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """
            )
            for outcome in plan.attempts {
                try attempt.execute(arguments: [
                    outcome.deliveryId, outcome.attemptedAt.timeIntervalSince1970, outcome.statusCode,
                    outcome.durationMs, outcome.responseBody, outcome.error,
                ])
            }
            let delivery = try db.cachedStatement(
                sql: """
                    UPDATE deliveries SET attempts = attempts + 1, state = ?, next_attempt_at = ?, claimed_until = NULL,
                        last_attempt_at = ?, last_status_code = ?, last_duration_ms = ?, last_response_body = ?,
                        last_error = ?
                    WHERE id = ? AND state = 'pending'
                    """
            )
            for update in plan.deliveries {
                try delivery.execute(arguments: [
                    update.state.rawValue, update.nextAttemptAt?.timeIntervalSince1970,
                    update.attemptedAt.timeIntervalSince1970, update.statusCode, update.durationMs,
                    update.responseBody, update.error, update.deliveryId,
                ])
            }
            for change in plan.endpoints {
                switch change.failing {
                case .set(let since):
                    try db.execute(
                        sql: "UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?",
                        arguments: [since?.timeIntervalSince1970, change.endpointId]
                    )
                case .beginIfUnset(let since):
                    try db.execute(
                        sql: "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?) WHERE id = ?",
                        arguments: [since.timeIntervalSince1970, change.endpointId]
                    )
                case nil: break
                }
                if let disable = change.disable {
                    try db.execute(
                        sql:
                            "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?",
                        arguments: [disable.reason, disable.at.timeIntervalSince1970, change.endpointId]
                    )
                    try Self.failPending(db, endpointId: change.endpointId, reason: disable.reason)
                }
            }
        }
    }

    public func renewClaims(ids: [String], until: Date) async throws {
        guard !ids.isEmpty else { return }
        try await pool.write { db in
            let renew = try db.cachedStatement(
                sql: "UPDATE deliveries SET claimed_until = ? WHERE id = ? AND state = 'pending'"
            )
            for id in ids { try renew.execute(arguments: [until.timeIntervalSince1970, id]) }
        }
    }

    /// One server process owns a SQLite file, so when its delivery worker starts, claims left by a process that
    /// died are void at once rather than after their lease.
    public func recoverClaims() async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE deliveries SET claimed_until = NULL WHERE claimed_until IS NOT NULL")
        }
    }

    public func outboxLag(now: Date) async throws -> TimeInterval {
        try await pool.read { db in
            let oldest = try Double.fetchOne(db, sql: "SELECT min(created_at) FROM deliveries WHERE state = 'pending'")
            return oldest.map { max(0, now.timeIntervalSince1970 - $0) } ?? 0
        }
    }
}
