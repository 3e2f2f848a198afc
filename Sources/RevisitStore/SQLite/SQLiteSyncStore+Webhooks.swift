import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    public func createEndpoint(
        tenantId: Int64,
        url: String,
        events: [String],
        description: String?,
        secret: String
    ) async throws -> WebhookEndpointRecord {
        let now = clock.now().timeIntervalSince1970
        let id = StoreIds.webhookEndpoint()
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook_endpoints (id, tenant_id, url, events, description, enabled, secret,
                                                   created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
                    """,
                arguments: [id, tenantId, url, WebhookSubscription.json(events), description, secret, now, now]
            )
            return try Self.endpoint(db, tenantId: tenantId, id: id)!
        }
    }

    public func endpoints(tenantId: Int64, cursor: String?, limit: Int) async throws -> Page<WebhookEndpointRecord> {
        let after = try ListCursor.decode(cursor)
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT * FROM webhook_endpoints WHERE tenant_id = ? AND deleted = 0 AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [tenantId, after, limit + 1]
            )
            return try ListCursor.page(rows, limit: limit) { WebhookEndpointRecord(row: $0) }
        }
    }

    public func endpoint(tenantId: Int64, id: String) async throws -> WebhookEndpointRecord? {
        try await pool.read { db in try Self.endpoint(db, tenantId: tenantId, id: id) }
    }

    public func updateEndpoint(
        tenantId: Int64,
        id: String,
        url: String?,
        events: [String]?,
        description: String?,
        enabled: Bool?
    ) async throws -> WebhookEndpointRecord {
        let now = clock.now().timeIntervalSince1970
        return try await pool.write { db in
            guard var record = try Self.endpoint(db, tenantId: tenantId, id: id) else {
                throw StoreError.notFound("webhook endpoint \(id) does not exist")
            }
            if let url { record.url = url }
            if let events { record.events = events }
            if let description { record.description = description }
            if let enabled, enabled != record.enabled {
                record.enabled = enabled
                record.disabledReason = enabled ? nil : "manual"
            }
            try db.execute(
                sql: """
                    UPDATE webhook_endpoints SET url = ?, events = ?, description = ?, enabled = ?,
                        disabled_reason = ?, failing_since = CASE WHEN ? THEN NULL ELSE failing_since END,
                        updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    record.url, WebhookSubscription.json(record.events), record.description, record.enabled,
                    record.disabledReason, enabled == true, now, record.id,
                ]
            )
            if !record.enabled { try Self.failPending(db, endpointId: record.id, reason: "endpoint disabled") }
            return try Self.endpoint(db, tenantId: tenantId, id: id)!
        }
    }

    public func deleteEndpoint(tenantId: Int64, id: String) async throws -> Bool {
        let now = clock.now().timeIntervalSince1970
        return try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE webhook_endpoints SET deleted = 1, enabled = 0, updated_at = ?
                    WHERE tenant_id = ? AND id = ? AND deleted = 0
                    """,
                arguments: [now, tenantId, id]
            )
            guard db.changesCount > 0 else { return false }
            try Self.failPending(db, endpointId: id, reason: "endpoint deleted")
            return true
        }
    }

    public func rotateSecret(tenantId: Int64, id: String, newSecret: String) async throws -> WebhookEndpointRecord {
        let now = clock.now().timeIntervalSince1970
        return try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?,
                        secret = ?, secret_rotated_at = ?, updated_at = ?
                    WHERE tenant_id = ? AND id = ? AND deleted = 0
                    """,
                arguments: [now + 86400, newSecret, now, now, tenantId, id]
            )
            guard db.changesCount > 0, let record = try Self.endpoint(db, tenantId: tenantId, id: id) else {
                throw StoreError.notFound("webhook endpoint \(id) does not exist")
            }
            return record
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
        return try await pool.read { db in
            var sql = "SELECT * FROM deliveries WHERE tenant_id = ? AND endpoint_id = ? AND seq > ?"
            var arguments: StatementArguments = [tenantId, endpointId, after]
            if let state {
                sql += " AND state = ?"
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            sql += " ORDER BY seq LIMIT ?"
            _ = arguments.append(contentsOf: [limit + 1])
            return try ListCursor.page(try Row.fetchAll(db, sql: sql, arguments: arguments), limit: limit) {
                DeliveryRecord(row: $0)
            }
        }
    }

    public func recentDeliveries(tenantId: Int64, endpointId: String, limit: Int) async throws -> [DeliveryRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM deliveries WHERE tenant_id = ? AND endpoint_id = ? ORDER BY seq DESC LIMIT ?",
                arguments: [tenantId, endpointId, limit]
            ).map(DeliveryRecord.init(row:))
        }
    }

    public func replay(tenantId: Int64, endpointId: String, since: Date) async throws -> Int {
        let now = clock.now()
        return try await pool.write { db in
            guard let endpoint = try Self.endpoint(db, tenantId: tenantId, id: endpointId) else {
                throw StoreError.notFound("webhook endpoint \(endpointId) does not exist")
            }
            let events = try Row.fetchAll(
                db,
                sql: "SELECT id, type FROM events WHERE tenant_id = ? AND timestamp >= ? ORDER BY position",
                arguments: [tenantId, since.timeIntervalSince1970]
            )
            var queued = 0
            for event in events
            where WebhookSubscription.matches(endpoint.events, event["type"]) {
                try SQLiteOutbox.enqueue(
                    eventId: event["id"],
                    type: event["type"],
                    endpointId: endpointId,
                    tenantId: tenantId,
                    now: now,
                    db: db
                )
                queued += 1
            }
            return queued
        }
    }

    static func endpoint(_ db: Database, tenantId: Int64, id: String) throws -> WebhookEndpointRecord? {
        try Row.fetchOne(
            db,
            sql: "SELECT * FROM webhook_endpoints WHERE tenant_id = ? AND id = ? AND deleted = 0",
            arguments: [tenantId, id]
        ).map(WebhookEndpointRecord.init(row:))
    }

    static func failPending(_ db: Database, endpointId: String, reason: String) throws {
        try db.execute(
            sql: "UPDATE deliveries SET state = 'failed', last_error = ? WHERE endpoint_id = ? AND state = 'pending'",
            arguments: [reason, endpointId]
        )
    }

}

extension WebhookEndpointRecord {
    init(row: Row) {
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        self.init(
            id: row["id"],
            url: row["url"],
            events: WebhookSubscription.parse(row["events"]),
            description: row["description"],
            enabled: row["enabled"],
            disabledReason: row["disabled_reason"],
            secret: row["secret"],
            previousSecret: row["previous_secret"],
            previousSecretExpiresAt: date("previous_secret_expires_at"),
            secretRotatedAt: date("secret_rotated_at"),
            createdAt: date("created_at") ?? Date(),
            updatedAt: date("updated_at") ?? Date()
        )
    }
}

extension DeliveryRecord {
    init(row: Row) {
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        let state = DeliveryState(rawValue: row["state"]) ?? .pending
        self.init(
            id: row["id"],
            eventId: row["event_id"],
            eventType: row["event_type"],
            endpointId: row["endpoint_id"],
            state: state,
            attempts: row["attempts"],
            nextAttemptAt: state == .pending ? date("next_attempt_at") : nil,
            lastAttemptAt: date("last_attempt_at"),
            lastStatusCode: row["last_status_code"],
            lastDurationMs: row["last_duration_ms"],
            lastResponseBody: row["last_response_body"],
            lastError: row["last_error"]
        )
    }
}
