import Foundation
import Logging
import PostgresNIO
import RevisitModel

extension PostgresTenantContext {
    /// Locks the tenant's row for the rest of the transaction and reads its counters: every writer of a tenant takes
    /// this lock first, so versions and event positions are taken and committed in one order (DESIGN section 8).
    static func lock(
        tenantId: Int64,
        now: Date,
        connection: PostgresConnection,
        logger: Logger
    ) async throws -> PostgresTenantContext {
        let rows = try await connection.rows(
            """
            SELECT version, purged_version, event_position, settings, hlc_wall, hlc_counter FROM tenants
            WHERE id = \(tenantId) FOR UPDATE
            """,
            logger: logger
        )
        guard let row = rows.first else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
        let (version, purged, position, settings, wall, counter) = try row.decode(
            (Int64, Int64, Int64, String?, Int64, Int64).self
        )
        return PostgresTenantContext(
            tenantId: tenantId,
            now: now,
            version: version,
            purgedVersion: purged,
            eventPosition: position,
            settings: TenantSettings(storedText: settings),
            storedHLC: HLC(wall: wall, counter: Int(counter))
        )
    }

    /// Runs `rules` until a run needs nothing the cache lacks (see the type's comment), and returns that run's result
    /// or rethrows its error. Each round fetches every miss of a run at once; a push, whose reads are declared, runs once.
    /// With `declared`, the reads were declared and loaded beforehand (``loadDeclared(clientId:mutations:connection:logger:)``)
    /// and a miss means the declaration is incomplete: it is logged at notice level, so that it gets fixed.
    func settle<T>(
        connection: PostgresConnection,
        logger: Logger,
        declared: Bool = false,
        _ rules: (PostgresTenantContext) throws -> T
    ) async throws -> T {
        for _ in 0..<Self.maxRuns {
            reset()
            runs += 1
            let outcome: Result<T, any Error>
            do { outcome = .success(try rules(self)) } catch { outcome = .failure(error) }
            if misses.isEmpty { return try outcome.get() }
            if declared {
                logger.notice(
                    "the declared reads missed some; the rules run again",
                    metadata: ["tenant": "\(tenantId)", "run": "\(runs)", "misses": "\(misses.summary)"]
                )
            }
            try await load(misses, connection: connection, logger: logger)
        }
        // Each run asks for something the previous fetch should have brought: a bug in the rules or the cache, not
        // an outage, so it is logged as one and answers 500 rather than a 503 that invites a retry.
        logger.error(
            "push rules did not settle",
            metadata: ["tenant": "\(tenantId)", "runs": "\(Self.maxRuns)", "misses": "\(misses.summary)"]
        )
        throw RulesDidNotSettle(runs: Self.maxRuns, misses: misses.summary)
    }

    /// How many runs a change may take before it counts as never settling; a push runs once.
    static let maxRuns = 32

    /// Fetches what a run missed, one statement per kind.
    func load(_ misses: Misses, connection: PostgresConnection, logger: Logger) async throws {
        if !misses.rows.isEmpty { try await loadRows(Array(misses.rows), connection: connection, logger: logger) }
        if !misses.children.isEmpty {
            let parents = Array(misses.children)
            for parent in parents { cache.children[parent] = [] }
            for row in try await connection.rows(
                """
                SELECT parent_id, \(unescaped: storedRowColumns) FROM rows
                WHERE tenant_id = \(tenantId) AND parent_id = ANY(\(parents)) AND NOT deleted
                """,
                logger: logger
            ) {
                let parent = try row.makeRandomAccess()[0].decode(String.self)
                cache.children[parent, default: []].append(try StoredRow(postgres: row, offset: 1))
            }
        }
        if !misses.clients.isEmpty {
            let clients = Array(misses.clients)
            for client in clients { cache.lastMutationIds[client] = 0 }
            for try await (client, last) in try await connection.query(
                """
                SELECT client_id, last_mutation_id FROM clients
                WHERE tenant_id = \(tenantId) AND client_id = ANY(\(clients))
                """,
                logger: logger
            ).decode((String, Int64).self) {
                cache.lastMutationIds[client] = last
            }
        }
        if !misses.outcomes.isEmpty { try await loadOutcomes(misses.outcomes, connection: connection, logger: logger) }
        if !misses.attachments.isEmpty {
            let hashes = Array(misses.attachments)
            for hash in hashes { cache.attachments[hash] = false }
            for try await hash in try await connection.query(
                "SELECT sha256 FROM attachments WHERE tenant_id = \(tenantId) AND sha256 = ANY(\(hashes))",
                logger: logger
            ).decode(String.self) {
                cache.attachments[hash] = true
            }
        }
        if !misses.templates.isEmpty {
            try await loadTemplates(misses.templates, connection: connection, logger: logger)
        }
        if !misses.conflicts.isEmpty {
            let entities = Array(misses.conflicts)
            for entity in entities { cache.openConflicts[entity] = [] }
            for row in try await connection.rows(
                """
                SELECT \(unescaped: ConflictRecord.postgresColumns) FROM conflicts
                WHERE tenant_id = \(tenantId) AND entity_id = ANY(\(entities)) AND NOT resolved
                """,
                logger: logger
            ) {
                let conflict = try ConflictRecord.postgres(row).1
                cache.openConflicts[conflict.entityId, default: []].append(conflict)
            }
        }
        if !misses.followupItems.isEmpty {
            let items = Array(misses.followupItems)
            for item in items { cache.followupsByItem[item] = .some(nil) }
            for try await (item, body) in try await connection.query(
                "SELECT item_id, body FROM followups WHERE tenant_id = \(tenantId) AND item_id = ANY(\(items))",
                logger: logger
            ).decode((String, String).self) {
                cache.followupsByItem[item] = try FollowUpRecord(storedText: body)
            }
        }
        if !misses.followupVehicles.isEmpty {
            let vehicles = Array(misses.followupVehicles)
            let open = FollowUpState.allCases.filter(\.isOpen).map(\.rawValue)
            for vehicle in vehicles { cache.openFollowupsByVehicle[vehicle] = [] }
            for try await (vehicle, body) in try await connection.query(
                """
                SELECT vehicle_id, body FROM followups
                WHERE tenant_id = \(tenantId) AND vehicle_id = ANY(\(vehicles)) AND state = ANY(\(open))
                """,
                logger: logger
            ).decode((String, String).self) {
                cache.openFollowupsByVehicle[vehicle, default: []].append(try FollowUpRecord(storedText: body))
            }
            for vehicle in vehicles { cache.coveragePlans[vehicle] = [] }
            for try await (vehicle, plans) in try await connection.query(
                """
                SELECT vehicle_id, plans FROM coverage_plans
                WHERE tenant_id = \(tenantId) AND vehicle_id = ANY(\(vehicles))
                """,
                logger: logger
            ).decode((String, String).self) {
                cache.coveragePlans[vehicle] = [CoveragePlan](storageText: plans)
            }
            for vehicle in vehicles { cache.reportedReadings[vehicle] = [] }
            for try await (vehicle, value, at, source, followup) in try await connection.query(
                """
                SELECT vehicle_id, value, read_at, source, followup_id FROM odometer_readings
                WHERE tenant_id = \(tenantId) AND vehicle_id = ANY(\(vehicles)) ORDER BY read_at, seq
                """,
                logger: logger
            ).decode((String, Int64, Double, String, String?).self) {
                cache.reportedReadings[vehicle, default: []].append(
                    OdometerReading(stored: value, readAt: at, source: source, followupId: followup)
                )
            }
        }
    }

    private func loadRows(_ ids: [String], connection: PostgresConnection, logger: Logger) async throws {
        for id in ids { cache.rows[id] = .some(nil) }
        for row in try await connection.rows(
            """
            SELECT \(unescaped: storedRowColumns) FROM rows WHERE tenant_id = \(tenantId) AND id = ANY(\(ids))
            """,
            logger: logger
        ) {
            let stored = try StoredRow(postgres: row)
            cache.rows[stored.id] = stored
        }
        guard purgedVersion > 0 else { return }
        let absent = ids.filter { cache.rows[$0].map { $0 == nil } ?? false }
        guard !absent.isEmpty else { return }
        // A purged tombstone still answers as a deleted row, so that a late edit is told the row was deleted.
        for try await (id, entity) in try await connection.query(
            "SELECT id, entity FROM purged_ids WHERE tenant_id = \(tenantId) AND id = ANY(\(absent))",
            logger: logger
        ).decode((String, String).self) {
            guard let kind = EntityKind(rawValue: entity) else { continue }
            cache.rows[id] = StoredRow.purged(kind, id: id, now: now)
        }
    }

    private func loadOutcomes(_ keys: Set<OutcomeKey>, connection: PostgresConnection, logger: Logger) async throws {
        for key in keys { cache.outcomes[key.text] = .some(nil) }
        for (clientId, group) in Dictionary(grouping: keys, by: \.clientId) {
            let ids = group.map(\.mutationId)
            for try await (mutationId, status, version, error) in try await connection.query(
                """
                SELECT mutation_id, status, version, error FROM mutation_outcomes
                WHERE tenant_id = \(tenantId) AND client_id = \(clientId) AND mutation_id = ANY(\(ids))
                """,
                logger: logger
            ).decode((Int64, String, Int64?, String?).self) {
                guard let status = MutationStatus(rawValue: status) else { continue }
                let problem = error.flatMap { try? JSONDecoder().decode(MutationProblem.self, from: Data($0.utf8)) }
                cache.outcomes[OutcomeKey(clientId: clientId, mutationId: mutationId).text] = StoredOutcome(
                    status: status,
                    version: version,
                    error: problem
                )
            }
        }
    }

    private func loadTemplates(_ ids: Set<String>, connection: PostgresConnection, logger: Logger) async throws {
        for id in ids { cache.templates[id] = [:] }
        for try await (id, version, body) in try await connection.query(
            "SELECT id, version, body FROM templates WHERE tenant_id = \(tenantId) AND id = ANY(\(Array(ids)))",
            logger: logger
        ).decode((String, Int64, String).self) {
            cache.templates[id, default: [:]][Int(version)] = try JSONDecoder().decode(
                Template.self,
                from: Data(body.utf8)
            )
        }
    }
}

extension StoredRow {
    /// Reads ``storedRowColumns`` starting at column `offset`.
    init(postgres row: PostgresRow, offset: Int) throws {
        let cells = row.makeRandomAccess()
        guard let kind = EntityKind(rawValue: try cells[offset].decode(String.self)) else {
            throw StoreError.malformed("stored row has an unknown entity")
        }
        self.init(
            entity: kind,
            id: try cells[offset + 1].decode(String.self),
            version: try cells[offset + 2].decode(Int64.self),
            deleted: try cells[offset + 3].decode(Bool.self),
            fields: try JSONValue.parse(Data(try cells[offset + 4].decode(String.self).utf8)).objectValue ?? [:],
            merge: MergeState(storageJSON: try JSONValue.parse(Data(try cells[offset + 5].decode(String.self).utf8))),
            createdAt: Date(timeIntervalSince1970: try cells[offset + 6].decode(Double.self)),
            updatedAt: Date(timeIntervalSince1970: try cells[offset + 7].decode(Double.self))
        )
    }
}
