import Foundation
import Logging
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    public func addOdometerReading(
        tenantId: Int64,
        vehicleId: String,
        reading: OdometerSample
    ) async throws -> [FollowUpRecord] {
        try await vehicleRound(tenantId: tenantId, vehicleId: vehicleId) { writer in
            try writer.report(reading, vehicleId: vehicleId)
        }
    }

    public func updateCustomer(tenantId: Int64, id: String, fields: [String: JSONValue]) async throws -> RowRecord {
        let logger = self.logger
        return try await callRound(tenantId: tenantId) { context, connection in
            var preload = PostgresTenantContext.Misses()
            preload.rows.insert(id.lowercased())
            preload.clients.insert(CallRoundWriter<PostgresTenantContext>.clientId)
            try await context.load(preload, connection: connection, logger: logger)
            return { writer in RowRecord(try writer.correctCustomer(id: id, fields: fields)) }
        }
    }

    public func coveragePlans(tenantId: Int64, vehicleId: String) async throws -> [CoveragePlan]? {
        let logger = self.logger
        return try await withConnection { connection in
            guard
                try await Self.live(connection, tenantId: tenantId, id: vehicleId, entity: .vehicle, logger: logger)
                    != nil
            else { return nil }
            let rows = try await connection.rows(
                """
                SELECT plans FROM coverage_plans WHERE tenant_id = \(tenantId) AND vehicle_id = \(vehicleId.lowercased())
                """,
                logger: logger
            )
            return [CoveragePlan](storageText: try rows.first?.decode(String.self))
        }
    }

    public func replaceCoveragePlans(
        tenantId: Int64,
        vehicleId: String,
        plans: [CoveragePlan]
    ) async throws -> [FollowUpRecord] {
        try await vehicleRound(tenantId: tenantId, vehicleId: vehicleId) { writer in
            try writer.replaceCoverage(vehicleId: vehicleId, plans: plans)
        }
    }

    /// A call-round writer about one vehicle, with what it reads of it loaded first in one round: the row, its
    /// inspections (their readings), its open follow-ups, readings and plans.
    private func vehicleRound<T: Sendable>(
        tenantId: Int64,
        vehicleId: String,
        _ rules: @escaping @Sendable (inout CallRoundWriter<PostgresTenantContext>) throws -> T
    ) async throws -> T {
        let id = vehicleId.lowercased()
        let logger = self.logger
        return try await callRound(tenantId: tenantId) { context, connection in
            var preload = PostgresTenantContext.Misses()
            preload.rows.insert(id)
            preload.children.insert(id)
            preload.followupVehicles.insert(id)
            try await context.load(preload, connection: connection, logger: logger)
            return rules
        }
    }

    /// Runs a call-round writer under the tenant's row lock, as a push runs: `prepare` reads what the writer is known
    /// to need in batches and returns the rules, which settle on the cache (a miss is fetched and the rules run
    /// again), and the settled run's writes are flushed with the tenant's version and the server's clock.
    func callRound<T: Sendable>(
        tenantId: Int64,
        _ prepare:
            @escaping @Sendable (PostgresTenantContext, PostgresConnection) async throws -> (
                (inout CallRoundWriter<PostgresTenantContext>) throws -> T
            )
    ) async throws -> T {
        let now = clock.now()
        let hlc = self.hlc
        let logger = self.logger
        return try await withTenantLock(tenantId: tenantId, now: now) { context, connection in
            let rules = try await prepare(context, connection)
            return try await context.settleStamped(hlc: hlc, connection: connection, logger: logger) { context, start in
                var writer = CallRoundWriter(context: context, stamps: start)
                return (try rules(&writer), writer.stamps)
            }
        }
    }
}
