import Foundation
import Logging
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    /// Several instances run delivery workers on one queue: the claim is one statement that locks the due rows it
    /// takes with `SKIP LOCKED`, so two workers never claim the same delivery and neither waits for the other.
    public func claimDeliveries(now: Date, limit: Int, lease: TimeInterval) async throws -> [ClaimedDelivery] {
        guard limit > 0 else { return [] }
        let logger = self.logger
        let at = now.timeIntervalSince1970
        let until = at + lease
        return try await transaction { connection in
            var claimed: [String: (tenantId: Int64, endpointId: String, eventId: String, attempts: Int)] = [:]
            let claim: PostgresQuery = """
                UPDATE deliveries d SET claimed_until = \(until)
                FROM (
                    SELECT id FROM deliveries
                    WHERE state = 'pending' AND next_attempt_at <= \(at)
                        AND (claimed_until IS NULL OR claimed_until <= \(at))
                    ORDER BY next_attempt_at LIMIT \(Int64(limit)) FOR UPDATE SKIP LOCKED
                ) c
                WHERE d.id = c.id
                RETURNING d.id, d.tenant_id, d.endpoint_id, d.event_id, d.attempts
                """
            for try await (id, tenantId, endpointId, eventId, attempts) in try await connection.query(
                claim,
                logger: logger
            ).decode((String, Int64, String, String, Int).self) {
                claimed[id] = (tenantId, endpointId, eventId, attempts)
            }
            guard !claimed.isEmpty else { return [] }
            let details: PostgresQuery = """
                SELECT d.id, e.body, w.url, w.secret, w.previous_secret, w.previous_secret_expires_at, w.failing_since
                FROM deliveries d
                JOIN events e ON e.id = d.event_id
                JOIN webhook_endpoints w ON w.id = d.endpoint_id
                WHERE d.id = ANY(\(Array(claimed.keys)))
                ORDER BY d.next_attempt_at, d.seq
                """
            var deliveries: [ClaimedDelivery] = []
            for row in try await connection.rows(details, logger: logger) {
                let (id, body, url, secret, previousSecret, previousExpiresAt, failingSince) = try row.decode(
                    (String, ByteBuffer, String, String, String?, Double?, Double?).self
                )
                guard let delivery = claimed[id] else { continue }
                var secrets = [secret]
                if let previousSecret, let previousExpiresAt, previousExpiresAt > at { secrets.append(previousSecret) }
                deliveries.append(
                    ClaimedDelivery(
                        deliveryId: id,
                        tenantId: delivery.tenantId,
                        endpointId: delivery.endpointId,
                        eventId: delivery.eventId,
                        url: url,
                        secrets: secrets,
                        body: [UInt8](body.readableBytesView),
                        attempts: delivery.attempts,
                        failingSince: failingSince.map(Date.init(timeIntervalSince1970:))
                    )
                )
            }
            return deliveries
        }
    }

    /// The endpoints' rows are locked first, in id order: disabling or deleting an endpoint locks its row and then
    /// its pending deliveries, and a group that took a delivery before its endpoint could deadlock against it.
    public func recordAttempts(_ outcomes: [AttemptOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        let logger = self.logger
        let plan = AttemptRecordPlan(outcomes)
        try await transaction { connection in
            try await connection.query(
                "SELECT id FROM webhook_endpoints WHERE id = ANY(\(plan.endpoints.map(\.endpointId))) ORDER BY id FOR UPDATE",
                logger: logger
            )
            try await Self.record(plan, connection: connection, logger: logger)
            for change in plan.endpoints {
                switch change.failing {
                case .set(let since):
                    try await connection.query(
                        """
                        UPDATE webhook_endpoints SET failing_since = \(since?.timeIntervalSince1970)
                        WHERE id = \(change.endpointId)
                        """,
                        logger: logger
                    )
                case .beginIfUnset(let since):
                    try await connection.query(
                        """
                        UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, \(since.timeIntervalSince1970))
                        WHERE id = \(change.endpointId)
                        """,
                        logger: logger
                    )
                case nil: break
                }
                guard let disable = change.disable else { continue }
                try await connection.query(
                    """
                    UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = \(disable.reason),
                        updated_at = \(disable.at.timeIntervalSince1970)
                    WHERE id = \(change.endpointId)
                    """,
                    logger: logger
                )
                try await Self.failPending(
                    connection,
                    endpointId: change.endpointId,
                    reason: disable.reason,
                    logger: logger
                )
            }
        }
    }

    /// The attempt log and every pending delivery's new state, one statement each; the claim ends with the record.
    private static func record(
        _ plan: AttemptRecordPlan,
        connection: PostgresConnection,
        logger: Logger
    ) async throws {
        var ids: [String] = []
        var states: [String] = []
        var next = NullableColumn<Double>(placeholder: 0)
        var times: [Double] = []
        var statuses = NullableColumn<Int64>(placeholder: 0)
        var durations: [Int64] = []
        var bodies = NullableColumn<String>(placeholder: "")
        var errors = NullableColumn<String>(placeholder: "")
        for update in plan.deliveries {
            ids.append(update.deliveryId)
            states.append(update.state.rawValue)
            next.append(update.nextAttemptAt?.timeIntervalSince1970)
            times.append(update.attemptedAt.timeIntervalSince1970)
            statuses.append(update.statusCode.map(Int64.init))
            durations.append(Int64(update.durationMs))
            bodies.append(update.responseBody)
            errors.append(update.error)
        }
        try await connection.query(
            """
            INSERT INTO delivery_attempts (delivery_id, attempted_at, status_code, duration_ms, response_body, error)
            SELECT u.id, u.at, CASE WHEN u.has_status THEN u.status END, u.duration,
                   CASE WHEN u.has_body THEN u.body END, CASE WHEN u.has_error THEN u.error END
            FROM unnest(\(ids)::text[], \(times)::float8[], \(statuses.values)::int8[], \(statuses.present)::bool[],
                        \(durations)::int8[], \(bodies.values)::text[], \(bodies.present)::bool[],
                        \(errors.values)::text[], \(errors.present)::bool[])
                AS u(id, at, status, has_status, duration, body, has_body, error, has_error)
            """,
            logger: logger
        )
        try await connection.query(
            """
            UPDATE deliveries d SET attempts = d.attempts + 1, state = u.state,
                next_attempt_at = CASE WHEN u.has_next THEN u.next END, claimed_until = NULL, last_attempt_at = u.at,
                last_status_code = CASE WHEN u.has_status THEN u.status END, last_duration_ms = u.duration,
                last_response_body = CASE WHEN u.has_body THEN u.body END,
                last_error = CASE WHEN u.has_error THEN u.error END
            FROM unnest(\(ids)::text[], \(states)::text[], \(next.values)::float8[], \(next.present)::bool[],
                        \(times)::float8[], \(statuses.values)::int8[], \(statuses.present)::bool[],
                        \(durations)::int8[], \(bodies.values)::text[], \(bodies.present)::bool[],
                        \(errors.values)::text[], \(errors.present)::bool[])
                AS u(id, state, next, has_next, at, status, has_status, duration, body, has_body, error, has_error)
            WHERE d.id = u.id AND d.state = 'pending'
            """,
            logger: logger
        )
    }

    /// Extends the lease of deliveries a worker is still attempting (a slow endpoint), so that no other instance
    /// takes them meanwhile; a delivery already recorded or failed is left alone.
    public func renewClaims(ids: [String], until: Date) async throws {
        guard !ids.isEmpty else { return }
        let logger = self.logger
        let at = until.timeIntervalSince1970
        try await transaction { connection -> Void in
            try await connection.query(
                "UPDATE deliveries SET claimed_until = \(at) WHERE id = ANY(\(ids)) AND state = 'pending'",
                logger: logger
            )
        }
    }

    /// Does nothing on PostgreSQL. Other instances deliver from the same table, and a claim does not say which
    /// process made it: voiding all claims when this worker starts would hand deliveries another live instance is
    /// attempting right now to a second worker, and the receiver would get them twice. A dead process's claims are
    /// taken again once their lease runs out, which is what the lease is for.
    public func recoverClaims() async throws {}

    public func outboxLag(now: Date) async throws -> TimeInterval {
        let logger = self.logger
        return try await withConnection { connection in
            let rows = try await connection.rows(
                "SELECT min(created_at) FROM deliveries WHERE state = 'pending'",
                logger: logger
            )
            guard let row = rows.first, let oldest = try row.decode(Double?.self) else { return 0 }
            return max(0, now.timeIntervalSince1970 - oldest)
        }
    }
}
