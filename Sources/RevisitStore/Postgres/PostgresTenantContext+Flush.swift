import Foundation
import Logging
import PostgresNIO
import RevisitModel

extension PostgresTenantContext {
    /// Writes what the settled run decided: one statement per table, with arrays and `unnest`, whatever the number
    /// of mutations; then the tenant's counters, still under its row lock. Returns the tenant's new version as the
    /// signal to tell this instance's waiters once the transaction has committed; nil when the version did not move.
    func flush(connection: PostgresConnection, logger: Logger) async throws -> ChangeSignal? {
        try await flushRows(connection: connection, logger: logger)
        try await flushOutcomes(connection: connection, logger: logger)
        for (client, last) in writes.lastMutationIds {
            try await connection.query(
                """
                INSERT INTO clients (tenant_id, client_id, last_mutation_id) VALUES (\(tenantId), \(client), \(last))
                ON CONFLICT (tenant_id, client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id
                """,
                logger: logger
            )
        }
        try await flushConflicts(connection: connection, logger: logger)
        try await flushFollowups(connection: connection, logger: logger)
        try await flushReadings(connection: connection, logger: logger)
        try await flushEvents(connection: connection, logger: logger)
        let position = startEventPosition + Int64(writes.events.count)
        let clock = max(highestHLC ?? storedHLC, storedHLC)
        if version != startVersion || position != startEventPosition || clock != storedHLC {
            try await connection.query(
                """
                UPDATE tenants SET version = \(version), event_position = \(position), hlc_wall = \(clock.wall),
                    hlc_counter = \(Int64(clock.counter))
                WHERE id = \(tenantId)
                """,
                logger: logger
            )
        }
        // PostgreSQL delivers it when the transaction commits, to the listener of every instance; this instance's
        // waiters hear it from the writer itself, as soon as it commits.
        guard version != startVersion else { return nil }
        try await connection.query(
            "SELECT pg_notify(\(PostgresChangeListener.channel), \("\(tenantId):\(version)"))",
            logger: logger
        )
        return .committed(tenantId: tenantId, version: version)
    }

    private func flushRows(connection: PostgresConnection, logger: Logger) async throws {
        guard !writes.rowOrder.isEmpty else { return }
        var ids: [String] = []
        var entities: [String] = []
        var versions: [Int64] = []
        var deleted: [Bool] = []
        var fields: [String] = []
        var merges: [String] = []
        var parents = NullableColumn<String>(placeholder: "")
        var states = NullableColumn<String>(placeholder: "")
        var plates = NullableColumn<String>(placeholder: "")
        var vins = NullableColumn<String>(placeholder: "")
        var created: [Double] = []
        var updated: [Double] = []
        for id in writes.rowOrder {
            guard let row = writes.rows[id] else { continue }
            let projection = RowProjection(row)
            ids.append(row.id)
            entities.append(row.entity.rawValue)
            versions.append(row.version)
            deleted.append(row.deleted)
            fields.append(String(decoding: JSONValue.object(row.fields).jsonData(), as: UTF8.self))
            merges.append(String(decoding: row.merge.storageJSON().jsonData(), as: UTF8.self))
            parents.append(projection.parentId)
            states.append(projection.state)
            plates.append(projection.plate)
            vins.append(projection.vin)
            created.append(row.createdAt.timeIntervalSince1970)
            updated.append(row.updatedAt.timeIntervalSince1970)
        }
        try await connection.query(
            """
            INSERT INTO rows (tenant_id, id, entity, version, deleted, fields, merge, parent_id, state, plate, vin,
                              created_at, updated_at)
            SELECT \(tenantId), u.id, u.entity, u.version, u.deleted, u.fields, u.merge,
                   CASE WHEN u.has_parent THEN u.parent END, CASE WHEN u.has_state THEN u.state END,
                   CASE WHEN u.has_plate THEN u.plate END, CASE WHEN u.has_vin THEN u.vin END,
                   u.created_at, u.updated_at
            FROM unnest(\(ids)::text[], \(entities)::text[], \(versions)::int8[], \(deleted)::bool[],
                        \(fields)::text[], \(merges)::text[], \(parents.values)::text[], \(parents.present)::bool[],
                        \(states.values)::text[], \(states.present)::bool[], \(plates.values)::text[],
                        \(plates.present)::bool[], \(vins.values)::text[], \(vins.present)::bool[],
                        \(created)::float8[], \(updated)::float8[])
                AS u(id, entity, version, deleted, fields, merge, parent, has_parent, state, has_state, plate,
                     has_plate, vin, has_vin, created_at, updated_at)
            ON CONFLICT (tenant_id, id) DO UPDATE SET
                version = excluded.version, deleted = excluded.deleted, fields = excluded.fields,
                merge = excluded.merge, parent_id = excluded.parent_id, state = excluded.state,
                plate = excluded.plate, vin = excluded.vin, updated_at = excluded.updated_at
            """,
            logger: logger
        )
    }

    private func flushOutcomes(connection: PostgresConnection, logger: Logger) async throws {
        guard !writes.outcomes.isEmpty else { return }
        // Later outcomes of the same mutation replace earlier ones, as SQLite's INSERT OR REPLACE does.
        var latest: [OutcomeKey: StoredOutcome] = [:]
        var order: [OutcomeKey] = []
        for (key, outcome) in writes.outcomes {
            if latest.updateValue(outcome, forKey: key) == nil { order.append(key) }
        }
        var clients: [String] = []
        var mutationIds: [Int64] = []
        var statuses: [String] = []
        var versions = NullableColumn<Int64>(placeholder: 0)
        var errors = NullableColumn<String>(placeholder: "")
        for key in order {
            guard let outcome = latest[key] else { continue }
            clients.append(key.clientId)
            mutationIds.append(key.mutationId)
            statuses.append(outcome.status.rawValue)
            versions.append(outcome.version)
            errors.append(try outcome.error.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) })
        }
        let now = self.now.timeIntervalSince1970
        try await connection.query(
            """
            INSERT INTO mutation_outcomes (tenant_id, client_id, mutation_id, status, version, error, created_at)
            SELECT \(tenantId), u.client_id, u.mutation_id, u.status, CASE WHEN u.has_version THEN u.version END,
                   CASE WHEN u.has_error THEN u.error END, \(now)
            FROM unnest(\(clients)::text[], \(mutationIds)::int8[], \(statuses)::text[], \(versions.values)::int8[],
                        \(versions.present)::bool[], \(errors.values)::text[], \(errors.present)::bool[])
                AS u(client_id, mutation_id, status, version, has_version, error, has_error)
            ON CONFLICT (tenant_id, client_id, mutation_id) DO UPDATE SET status = excluded.status,
                version = excluded.version, error = excluded.error, created_at = excluded.created_at
            """,
            logger: logger
        )
    }

    private func flushConflicts(connection: PostgresConnection, logger: Logger) async throws {
        guard !writes.conflictOrder.isEmpty else { return }
        var ids: [String] = []
        var entities: [String] = []
        var entityIds: [String] = []
        var fields: [String] = []
        var rules: [String] = []
        var winners: [String] = []
        var writeLists: [String] = []
        var resolved: [Bool] = []
        var created: [Double] = []
        var resolvedAt = NullableColumn<Double>(placeholder: 0)
        // Ended conflicts first: the partial unique index allows one open conflict per field.
        let ordered = writes.conflictOrder.compactMap { writes.conflicts[$0]?.0 }.sorted { $0.resolved && !$1.resolved }
        for conflict in ordered {
            ids.append(conflict.id)
            entities.append(conflict.entity)
            entityIds.append(conflict.entityId)
            fields.append(conflict.field)
            rules.append(conflict.rule)
            winners.append(conflict.storedWinner)
            writeLists.append(conflict.storedWrites)
            resolved.append(conflict.resolved)
            created.append(conflict.createdAt.timeIntervalSince1970)
            resolvedAt.append(conflict.resolvedAt?.timeIntervalSince1970)
        }
        try await connection.query(
            """
            INSERT INTO conflicts (id, tenant_id, entity, entity_id, field, rule, winner, writes, resolved, created_at,
                                   resolved_at)
            SELECT u.id, \(tenantId), u.entity, u.entity_id, u.field, u.rule, u.winner, u.writes, u.resolved,
                   u.created_at, CASE WHEN u.has_resolved_at THEN u.resolved_at END
            FROM unnest(\(ids)::text[], \(entities)::text[], \(entityIds)::text[], \(fields)::text[],
                        \(rules)::text[], \(winners)::text[], \(writeLists)::text[], \(resolved)::bool[],
                        \(created)::float8[], \(resolvedAt.values)::float8[], \(resolvedAt.present)::bool[])
                AS u(id, entity, entity_id, field, rule, winner, writes, resolved, created_at, resolved_at,
                     has_resolved_at)
            ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, winner = excluded.winner, writes = excluded.writes,
                resolved = excluded.resolved, resolved_at = excluded.resolved_at
            """,
            logger: logger
        )
    }

    private func flushFollowups(connection: PostgresConnection, logger: Logger) async throws {
        guard !writes.followupOrder.isEmpty else { return }
        var ids: [String] = []
        var items: [String] = []
        var inspections: [String] = []
        var vehicles: [String] = []
        var codes: [String] = []
        var states: [String] = []
        var dueDates: [String] = []
        var releaseAt: [Double] = []
        var releasedAt = NullableColumn<Double>(placeholder: 0)
        var versions: [Int64] = []
        var bodies: [String] = []
        var created: [Double] = []
        var updated: [Double] = []
        var amounts: [Int64] = []
        var covered: [Bool] = []
        var reasons = NullableColumn<String>(placeholder: "")
        for id in writes.followupOrder {
            guard let followup = writes.followups[id] else { continue }
            ids.append(followup.id)
            items.append(followup.itemId)
            inspections.append(followup.inspectionId)
            vehicles.append(followup.vehicleId)
            codes.append(followup.code)
            states.append(followup.state.rawValue)
            dueDates.append(followup.dueDate)
            releaseAt.append(followup.releaseAt.timeIntervalSince1970)
            releasedAt.append(followup.releasedAt?.timeIntervalSince1970)
            versions.append(followup.version)
            bodies.append(String(decoding: followup.storageJSON.jsonData(), as: UTF8.self))
            created.append(followup.createdAt.timeIntervalSince1970)
            updated.append(followup.updatedAt.timeIntervalSince1970)
            amounts.append(followup.reportAmount)
            covered.append(followup.isCovered)
            reasons.append(followup.outcomeReason)
        }
        try await connection.query(
            """
            INSERT INTO followups (id, tenant_id, item_id, inspection_id, vehicle_id, code, state, due_date,
                                   release_at, released_at, version, body, created_at, updated_at, amount, covered,
                                   reason)
            SELECT u.id, \(tenantId), u.item_id, u.inspection_id, u.vehicle_id, u.code, u.state, u.due_date,
                   u.release_at, CASE WHEN u.has_released_at THEN u.released_at END, u.version, u.body,
                   u.created_at, u.updated_at, u.amount, u.covered, CASE WHEN u.has_reason THEN u.reason END
            FROM unnest(\(ids)::text[], \(items)::text[], \(inspections)::text[], \(vehicles)::text[],
                        \(codes)::text[], \(states)::text[], \(dueDates)::text[], \(releaseAt)::float8[],
                        \(releasedAt.values)::float8[], \(releasedAt.present)::bool[], \(versions)::int8[],
                        \(bodies)::text[], \(created)::float8[], \(updated)::float8[], \(amounts)::int8[],
                        \(covered)::bool[], \(reasons.values)::text[], \(reasons.present)::bool[])
                AS u(id, item_id, inspection_id, vehicle_id, code, state, due_date, release_at, released_at,
                     has_released_at, version, body, created_at, updated_at, amount, covered, reason, has_reason)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, due_date = excluded.due_date,
                release_at = excluded.release_at,
                released_at = excluded.released_at, version = excluded.version, body = excluded.body,
                updated_at = excluded.updated_at, amount = excluded.amount, covered = excluded.covered,
                reason = excluded.reason
            """,
            logger: logger
        )
    }

    /// The odometer readings the CRM reported and the vehicles' plans; few per transaction (one per call), so one statement each.
    private func flushReadings(connection: PostgresConnection, logger: Logger) async throws {
        for (vehicleId, plans) in writes.coveragePlans {
            try await connection.query(
                """
                INSERT INTO coverage_plans (tenant_id, vehicle_id, plans, updated_at)
                VALUES (\(tenantId), \(vehicleId), \(plans.storageText), \(now.timeIntervalSince1970))
                ON CONFLICT (tenant_id, vehicle_id) DO UPDATE SET plans = excluded.plans, updated_at = excluded.updated_at
                """,
                logger: logger
            )
        }
        for (vehicleId, reading) in writes.readings {
            try await connection.query(
                """
                INSERT INTO odometer_readings (tenant_id, vehicle_id, value, read_at, source, followup_id, created_at)
                VALUES (\(tenantId), \(vehicleId), \(reading.odometer), \(reading.at.timeIntervalSince1970),
                    \(reading.source.rawValue), \(reading.followupId), \(now.timeIntervalSince1970))
                """,
                logger: logger
            )
        }
    }

    /// Events take the tenant's next positions under its row lock, so positions follow commit order; each gets a
    /// pending delivery per enabled endpoint subscribed to its type, in the same transaction.
    private func flushEvents(connection: PostgresConnection, logger: Logger) async throws {
        guard !writes.events.isEmpty else { return }
        var ids: [String] = []
        var positions: [Int64] = []
        var types: [String] = []
        var bodies: [ByteBuffer] = []
        for (index, event) in writes.events.enumerated() {
            ids.append(event.id)
            positions.append(startEventPosition + Int64(index) + 1)
            types.append(event.type.rawValue)
            bodies.append(ByteBuffer(bytes: event.body))
        }
        let now = self.now.timeIntervalSince1970
        try await connection.query(
            """
            INSERT INTO events (id, tenant_id, position, type, timestamp, body)
            SELECT u.id, \(tenantId), u.position, u.type, \(now), u.body
            FROM unnest(\(ids)::text[], \(positions)::int8[], \(types)::text[], \(bodies)::bytea[])
                AS u(id, position, type, body)
            """,
            logger: logger
        )
        // Each endpoint's subscription is read once per push, not once per event.
        var endpoints: [(id: String, events: [String])] = []
        for try await (id, subscribed) in try await connection.query(
            "SELECT id, events FROM webhook_endpoints WHERE tenant_id = \(tenantId) AND enabled AND NOT deleted",
            logger: logger
        ).decode((String, String).self) {
            endpoints.append((id, WebhookSubscription.parse(subscribed)))
        }
        guard !endpoints.isEmpty else { return }
        var deliveries = PostgresDeliveryBatch()
        for event in writes.events {
            for endpoint in endpoints where WebhookSubscription.matches(endpoint.events, event.type.rawValue) {
                deliveries.append(eventId: event.id, type: event.type.rawValue, endpointId: endpoint.id)
            }
        }
        try await deliveries.insert(tenantId: tenantId, now: self.now, connection: connection, logger: logger)
    }
}

/// Pending deliveries inserted in one statement.
struct PostgresDeliveryBatch {
    var ids: [String] = []
    var eventIds: [String] = []
    var types: [String] = []
    var endpointIds: [String] = []

    var isEmpty: Bool { ids.isEmpty }

    mutating func append(eventId: String, type: String, endpointId: String) {
        ids.append(StoreIds.delivery())
        eventIds.append(eventId)
        types.append(type)
        endpointIds.append(endpointId)
    }

    func insert(tenantId: Int64, now: Date, connection: PostgresConnection, logger: Logger) async throws {
        guard !isEmpty else { return }
        let at = now.timeIntervalSince1970
        try await connection.query(
            """
            INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, state, next_attempt_at, created_at)
            SELECT u.id, \(tenantId), u.endpoint_id, u.event_id, u.type, 'pending', \(at), \(at)
            FROM unnest(\(ids)::text[], \(endpointIds)::text[], \(eventIds)::text[], \(types)::text[])
                AS u(id, endpoint_id, event_id, type)
            """,
            logger: logger
        )
    }
}
