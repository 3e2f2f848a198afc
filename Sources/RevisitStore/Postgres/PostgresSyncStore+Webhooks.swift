import Foundation
import Logging
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    public func createEndpoint(
        tenantId: Int64,
        url: String,
        events: [String],
        description: String?,
        secret: String
    ) async throws -> WebhookEndpointRecord {
        let now = clock.now().timeIntervalSince1970
        let id = StoreIds.webhookEndpoint()
        let subscribed = WebhookSubscription.json(events)
        let logger = self.logger
        return try await transaction { connection in
            let rows = try await connection.rows(
                """
                INSERT INTO webhook_endpoints (id, tenant_id, url, events, description, enabled, secret, created_at,
                                               updated_at)
                VALUES (\(id), \(tenantId), \(url), \(subscribed), \(description), TRUE, \(secret), \(now), \(now))
                RETURNING \(unescaped: WebhookEndpointRecord.postgresColumns)
                """,
                logger: logger
            )
            guard let row = rows.first else { throw StoreError.malformed("the new webhook endpoint was not returned") }
            return try WebhookEndpointRecord.postgres(row).1
        }
    }

    public func endpoints(tenantId: Int64, cursor: String?, limit: Int) async throws -> Page<WebhookEndpointRecord> {
        let after = try ListCursor.decode(cursor)
        let logger = self.logger
        return try await withConnection { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: WebhookEndpointRecord.postgresColumns) FROM webhook_endpoints
                WHERE tenant_id = \(tenantId) AND NOT deleted AND seq > \(after) ORDER BY seq LIMIT \(Int64(limit + 1))
                """,
                logger: logger
            )
            return postgresPage(try rows.map(WebhookEndpointRecord.postgres), limit: limit)
        }
    }

    public func endpoint(tenantId: Int64, id: String) async throws -> WebhookEndpointRecord? {
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.endpoint(connection, tenantId: tenantId, id: id, forUpdate: false, logger: logger)
        }
    }

    /// The endpoint's row is locked while it is patched, so that two patches of different fields never lose one
    /// another.
    public func updateEndpoint(
        tenantId: Int64,
        id: String,
        url: String?,
        events: [String]?,
        description: String?,
        enabled: Bool?
    ) async throws -> WebhookEndpointRecord {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        return try await transaction { connection in
            guard
                var record = try await Self.endpoint(
                    connection,
                    tenantId: tenantId,
                    id: id,
                    forUpdate: true,
                    logger: logger
                )
            else { throw StoreError.notFound("webhook endpoint \(id) does not exist") }
            if let url { record.url = url }
            if let events { record.events = events }
            if let description { record.description = description }
            if let enabled, enabled != record.enabled {
                record.enabled = enabled
                record.disabledReason = enabled ? nil : "manual"
            }
            let subscribed = WebhookSubscription.json(record.events)
            let enabling = enabled == true
            let rows = try await connection.rows(
                """
                UPDATE webhook_endpoints SET url = \(record.url), events = \(subscribed),
                    description = \(record.description), enabled = \(record.enabled),
                    disabled_reason = \(record.disabledReason),
                    failing_since = CASE WHEN \(enabling) THEN NULL ELSE failing_since END, updated_at = \(now)
                WHERE id = \(record.id)
                RETURNING \(unescaped: WebhookEndpointRecord.postgresColumns)
                """,
                logger: logger
            )
            if !record.enabled {
                try await Self.failPending(
                    connection,
                    endpointId: record.id,
                    reason: "endpoint disabled",
                    logger: logger
                )
            }
            guard let row = rows.first else { throw StoreError.notFound("webhook endpoint \(id) does not exist") }
            return try WebhookEndpointRecord.postgres(row).1
        }
    }

    public func deleteEndpoint(tenantId: Int64, id: String) async throws -> Bool {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        return try await transaction { connection in
            let rows = try await connection.rows(
                """
                UPDATE webhook_endpoints SET deleted = TRUE, enabled = FALSE, updated_at = \(now)
                WHERE tenant_id = \(tenantId) AND id = \(id) AND NOT deleted
                RETURNING id
                """,
                logger: logger
            )
            guard !rows.isEmpty else { return false }
            try await Self.failPending(connection, endpointId: id, reason: "endpoint deleted", logger: logger)
            return true
        }
    }

    public func rotateSecret(tenantId: Int64, id: String, newSecret: String) async throws -> WebhookEndpointRecord {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        return try await transaction { connection in
            // `previous_secret = secret` reads the row as it was before this UPDATE, as on SQLite.
            let rows = try await connection.rows(
                """
                UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = \(now + 86400),
                    secret = \(newSecret), secret_rotated_at = \(now), updated_at = \(now)
                WHERE tenant_id = \(tenantId) AND id = \(id) AND NOT deleted
                RETURNING \(unescaped: WebhookEndpointRecord.postgresColumns)
                """,
                logger: logger
            )
            guard let row = rows.first else { throw StoreError.notFound("webhook endpoint \(id) does not exist") }
            return try WebhookEndpointRecord.postgres(row).1
        }
    }

    public func deliveries(
        tenantId: Int64,
        endpointId: String,
        state: DeliveryState?,
        cursor: String?,
        limit: Int
    ) async throws -> Page<DeliveryRecord> {
        let after = try ListCursor.decode(cursor)
        let logger = self.logger
        var binds = PostgresBindings()
        binds.append(tenantId)
        binds.append(endpointId)
        binds.append(after)
        var sql = """
            SELECT \(DeliveryRecord.postgresColumns) FROM deliveries
            WHERE tenant_id = $1 AND endpoint_id = $2 AND seq > $3
            """
        if let state {
            binds.append(state.rawValue)
            sql += " AND state = $\(binds.count)"
        }
        binds.append(Int64(limit + 1))
        sql += " ORDER BY seq LIMIT $\(binds.count)"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await withConnection { connection in
            let rows = try await connection.rows(query, logger: logger)
            return postgresPage(try rows.map(DeliveryRecord.postgres), limit: limit)
        }
    }

    public func recentDeliveries(tenantId: Int64, endpointId: String, limit: Int) async throws -> [DeliveryRecord] {
        let logger = self.logger
        return try await withConnection { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: DeliveryRecord.postgresColumns) FROM deliveries
                WHERE tenant_id = \(tenantId) AND endpoint_id = \(endpointId) ORDER BY seq DESC LIMIT \(Int64(limit))
                """,
                logger: logger
            ).map { try DeliveryRecord.postgres($0).1 }
        }
    }

    /// Queues the events again under their ids, so a receiver that deduplicates by id sees each once.
    public func replay(tenantId: Int64, endpointId: String, since: Date) async throws -> Int {
        let now = clock.now()
        let logger = self.logger
        return try await transaction { connection in
            guard
                let endpoint = try await Self.endpoint(
                    connection,
                    tenantId: tenantId,
                    id: endpointId,
                    forUpdate: false,
                    logger: logger
                )
            else { throw StoreError.notFound("webhook endpoint \(endpointId) does not exist") }
            var batch = PostgresDeliveryBatch()
            for try await (eventId, type) in try await connection.query(
                """
                SELECT id, type FROM events
                WHERE tenant_id = \(tenantId) AND timestamp >= \(since.timeIntervalSince1970) ORDER BY position
                """,
                logger: logger
            ).decode((String, String).self)
            where WebhookSubscription.matches(endpoint.events, type) {
                batch.append(eventId: eventId, type: type, endpointId: endpointId)
            }
            try await batch.insert(tenantId: tenantId, now: now, connection: connection, logger: logger)
            return batch.ids.count
        }
    }

    static func endpoint(
        _ connection: PostgresConnection,
        tenantId: Int64,
        id: String,
        forUpdate: Bool,
        logger: Logger
    ) async throws -> WebhookEndpointRecord? {
        let rows = try await connection.rows(
            """
            SELECT \(unescaped: WebhookEndpointRecord.postgresColumns) FROM webhook_endpoints
            WHERE tenant_id = \(tenantId) AND id = \(id) AND NOT deleted \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """,
            logger: logger
        )
        return try rows.first.map { try WebhookEndpointRecord.postgres($0).1 }
    }

    /// Ends the endpoint's pending deliveries, held by a worker or not: a worker's later record of one is not applied,
    /// since attempt records update only deliveries that are still pending (AttemptRecordPlan).
    static func failPending(
        _ connection: PostgresConnection,
        endpointId: String,
        reason: String,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            UPDATE deliveries SET state = 'failed', last_error = \(reason)
            WHERE endpoint_id = \(endpointId) AND state = 'pending'
            """,
            logger: logger
        )
    }
}

extension WebhookEndpointRecord {
    static let postgresColumns = """
        seq, id, url, events, description, enabled, disabled_reason, secret, previous_secret, \
        previous_secret_expires_at, secret_rotated_at, created_at, updated_at
        """

    /// Reads ``postgresColumns``; returns the seq alongside for paging.
    static func postgres(_ row: PostgresRow) throws -> (Int64, WebhookEndpointRecord) {
        let (
            seq, id, url, events, description, enabled, disabledReason, secret, previousSecret, previousExpiresAt,
            rotatedAt, createdAt, updatedAt
        ) = try row.decode(
            (
                Int64, String, String, String, String?, Bool, String?, String, String?, Double?, Double?, Double,
                Double
            ).self
        )
        let record = WebhookEndpointRecord(
            id: id,
            url: url,
            events: WebhookSubscription.parse(events),
            description: description,
            enabled: enabled,
            disabledReason: disabledReason,
            secret: secret,
            previousSecret: previousSecret,
            previousSecretExpiresAt: previousExpiresAt.map(Date.init(timeIntervalSince1970:)),
            secretRotatedAt: rotatedAt.map(Date.init(timeIntervalSince1970:)),
            createdAt: Date(timeIntervalSince1970: createdAt),
            updatedAt: Date(timeIntervalSince1970: updatedAt)
        )
        return (seq, record)
    }
}

extension DeliveryRecord {
    static let postgresColumns = """
        seq, id, event_id, event_type, endpoint_id, state, attempts, next_attempt_at, last_attempt_at, \
        last_status_code, last_duration_ms, last_response_body, last_error
        """

    /// Reads ``postgresColumns``; returns the seq alongside for paging.
    static func postgres(_ row: PostgresRow) throws -> (Int64, DeliveryRecord) {
        let (
            seq, id, eventId, eventType, endpointId, stateText, attempts, nextAttemptAt, lastAttemptAt, statusCode,
            durationMs, responseBody, lastError
        ) = try row.decode(
            (
                Int64, String, String, String, String, String, Int, Double?, Double?, Int?, Int?, String?, String?
            ).self
        )
        let state = DeliveryState(rawValue: stateText) ?? .pending
        let record = DeliveryRecord(
            id: id,
            eventId: eventId,
            eventType: eventType,
            endpointId: endpointId,
            state: state,
            attempts: attempts,
            nextAttemptAt: state == .pending ? nextAttemptAt.map(Date.init(timeIntervalSince1970:)) : nil,
            lastAttemptAt: lastAttemptAt.map(Date.init(timeIntervalSince1970:)),
            lastStatusCode: statusCode,
            lastDurationMs: durationMs,
            lastResponseBody: responseBody,
            lastError: lastError
        )
        return (seq, record)
    }
}
