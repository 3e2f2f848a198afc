import Foundation
import GRDB
import RevisitModel

/// The outbox in SQLite: an event and its deliveries are rows of the transaction that caused them, so a crash
/// loses none and sends none that did not commit. Event positions are taken under SQLite's single write lock, so
/// they follow commit order like sync versions.
enum SQLiteOutbox {
    /// Writes an event at the tenant's next position, with a pending delivery per endpoint subscribed to its type.
    static func append(_ event: EventEnvelope, tenantId: Int64, db: Database) throws {
        let type = event.type
        let now = event.timestamp
        let id = event.id
        let position =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: "UPDATE tenants SET event_position = event_position + 1 WHERE id = ? RETURNING event_position"
                ),
                arguments: [tenantId]
            ) ?? 0
        let body = Data(event.body)
        try db.cachedStatement(
            sql: "INSERT INTO events (id, tenant_id, position, type, timestamp, body) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [id, tenantId, position, type.rawValue, now.timeIntervalSince1970, body])
        let endpoints = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT id, events FROM webhook_endpoints WHERE tenant_id = ? AND enabled = 1 AND deleted = 0"
            ),
            arguments: [tenantId]
        )
        for endpoint in endpoints
        where WebhookSubscription.matches(WebhookSubscription.parse(endpoint["events"]), type.rawValue) {
            try enqueue(
                eventId: id,
                type: type.rawValue,
                endpointId: endpoint["id"],
                tenantId: tenantId,
                now: now,
                db: db
            )
        }
    }

    static func enqueue(
        eventId: String,
        type: String,
        endpointId: String,
        tenantId: Int64,
        now: Date,
        db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, state, next_attempt_at,
                                        created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
                """
        ).execute(arguments: [
            StoreIds.delivery(), tenantId, endpointId,
            eventId, type, now.timeIntervalSince1970, now.timeIntervalSince1970,
        ])
    }
}

extension SQLitePushContext: FollowUpContext {
    func settings() throws -> TenantSettings {
        let text = try String.fetchOne(
            db.cachedStatement(sql: "SELECT settings FROM tenants WHERE id = ?"),
            arguments: [tenantId]
        )
        return TenantSettings(storedText: text)
    }

    func odometerSamples(vehicleId: String) throws -> [OdometerSample] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT fields FROM rows
                    WHERE tenant_id = ? AND parent_id = ? AND entity = 'inspection' AND deleted = 0
                    """
            ),
            arguments: [tenantId, vehicleId]
        ).compactMap { row in
            InspectionOdometer.reading(try JSONValue.parse(Data((row["fields"] as String).utf8)).objectValue ?? [:])
        }
    }

    func followup(itemId: String) throws -> FollowUpRecord? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT body FROM followups WHERE tenant_id = ? AND item_id = ?"),
            arguments: [tenantId, itemId]
        ).map { try FollowUpRecord(storedText: $0) }
    }

    func openFollowups(vehicleId: String, code: String) throws -> [FollowUpRecord] {
        try SQLiteFollowUps.open(db, tenantId: tenantId, vehicleId: vehicleId, code: code)
    }

    func save(_ followup: FollowUpRecord) throws {
        try SQLiteFollowUps.save(followup, tenantId: tenantId, db: db)
    }

    func newId() -> String { ids.uuid() }

    func newEventId() -> String { ids.event() }

    func append(_ event: EventEnvelope) throws {
        try SQLiteOutbox.append(event, tenantId: tenantId, db: db)
    }

    func openFollowups(vehicleId: String) throws -> [FollowUpRecord] {
        try SQLiteFollowUps.open(db, tenantId: tenantId, vehicleId: vehicleId, code: nil)
    }

    func reportedReadings(vehicleId: String) throws -> [OdometerReading] {
        try SQLiteReadings.reported(db, tenantId: tenantId, vehicleId: vehicleId)
    }

    func coveragePlans(vehicleId: String) throws -> [CoveragePlan] {
        try SQLiteReadings.coveragePlans(db, tenantId: tenantId, vehicleId: vehicleId)
    }

    func save(coveragePlans plans: [CoveragePlan], vehicleId: String) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO coverage_plans (tenant_id, vehicle_id, plans, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, vehicle_id) DO UPDATE SET plans = excluded.plans, updated_at = excluded.updated_at
                """
        ).execute(arguments: [tenantId, vehicleId, plans.storageText, now.timeIntervalSince1970])
    }

    func save(reading: OdometerReading, vehicleId: String) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO odometer_readings (tenant_id, vehicle_id, value, read_at, source, followup_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            tenantId, vehicleId, reading.odometer, reading.at.timeIntervalSince1970, reading.source.rawValue,
            reading.followupId, now.timeIntervalSince1970,
        ])
    }
}

/// The odometer readings the CRM reported and the vehicles' plans, in SQLite.
enum SQLiteReadings {
    static func coveragePlans(_ db: Database, tenantId: Int64, vehicleId: String) throws -> [CoveragePlan] {
        [CoveragePlan](
            storageText: try String.fetchOne(
                db.cachedStatement(sql: "SELECT plans FROM coverage_plans WHERE tenant_id = ? AND vehicle_id = ?"),
                arguments: [tenantId, vehicleId]
            )
        )
    }

    static func reported(_ db: Database, tenantId: Int64, vehicleId: String) throws -> [OdometerReading] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT value, read_at, source, followup_id FROM odometer_readings
                    WHERE tenant_id = ? AND vehicle_id = ? ORDER BY read_at, seq
                    """
            ),
            arguments: [tenantId, vehicleId]
        ).map { row in
            OdometerReading(
                stored: row["value"],
                readAt: row["read_at"],
                source: row["source"],
                followupId: row["followup_id"]
            )
        }
    }
}

/// Follow-up rows in SQLite: the record as JSON, with the columns it is found by.
enum SQLiteFollowUps {
    static func save(_ followup: FollowUpRecord, tenantId: Int64, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO followups (id, tenant_id, item_id, inspection_id, vehicle_id, code, state, due_date,
                                       release_at, released_at, version, body, created_at, updated_at, amount,
                                       covered, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, due_date = excluded.due_date,
                    release_at = excluded.release_at,
                    released_at = excluded.released_at, version = excluded.version, body = excluded.body,
                    updated_at = excluded.updated_at, amount = excluded.amount, covered = excluded.covered,
                    reason = excluded.reason
                """
        ).execute(arguments: [
            followup.id, tenantId, followup.itemId, followup.inspectionId, followup.vehicleId, followup.code,
            followup.state.rawValue, followup.dueDate, followup.releaseAt.timeIntervalSince1970,
            followup.releasedAt?.timeIntervalSince1970, followup.version,
            String(decoding: followup.storageJSON.jsonData(), as: UTF8.self), followup.createdAt.timeIntervalSince1970,
            followup.updatedAt.timeIntervalSince1970, followup.reportAmount, followup.isCovered,
            followup.outcomeReason,
        ])
    }

    /// The open follow-ups of a vehicle, of one item code or (nil) all. Found through `followups_vehicle`: the
    /// state test is kept off the indexes (`+state`), or the planner prefers `followups_list` and reads every open
    /// follow-up of the tenant, which made each close cost more than the last.
    static func open(_ db: Database, tenantId: Int64, vehicleId: String, code: String?) throws -> [FollowUpRecord] {
        let arguments: StatementArguments = code.map { [tenantId, vehicleId, $0] } ?? [tenantId, vehicleId]
        return try String.fetchAll(db.cachedStatement(sql: openSQL(oneCode: code != nil)), arguments: arguments)
            .map { try FollowUpRecord(storedText: $0) }
    }

    static func openSQL(oneCode: Bool) -> String {
        let states = FollowUpState.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ",")
        return oneCode
            ? "SELECT body FROM followups WHERE tenant_id = ? AND vehicle_id = ? AND code = ? AND +state IN (\(states))"
            : "SELECT body FROM followups WHERE tenant_id = ? AND vehicle_id = ? AND +state IN (\(states)) ORDER BY seq"
    }
}
