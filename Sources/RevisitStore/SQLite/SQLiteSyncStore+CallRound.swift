import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    public func addOdometerReading(
        tenantId: Int64,
        vehicleId: String,
        reading: OdometerSample
    ) async throws -> [FollowUpRecord] {
        try await callRound(tenantId: tenantId) { writer, _ in try writer.report(reading, vehicleId: vehicleId) }
    }

    public func updateCustomer(tenantId: Int64, id: String, fields: [String: JSONValue]) async throws -> RowRecord {
        try await callRound(tenantId: tenantId) { writer, _ in
            RowRecord(try writer.correctCustomer(id: id, fields: fields))
        }
    }

    public func coveragePlans(tenantId: Int64, vehicleId: String) async throws -> [CoveragePlan]? {
        try await pool.read { db in
            guard try Self.live(db, tenantId: tenantId, id: vehicleId, entity: .vehicle) != nil else { return nil }
            return try SQLiteReadings.coveragePlans(db, tenantId: tenantId, vehicleId: vehicleId.lowercased())
        }
    }

    public func replaceCoveragePlans(
        tenantId: Int64,
        vehicleId: String,
        plans: [CoveragePlan]
    ) async throws -> [FollowUpRecord] {
        try await callRound(tenantId: tenantId) { writer, _ in
            try writer.replaceCoverage(vehicleId: vehicleId, plans: plans)
        }
    }

    /// Runs a call-round writer in one write transaction, with the server's clock and the tenant's version
    /// committed with it.
    func callRound<T: Sendable>(
        tenantId: Int64,
        _ body: @escaping @Sendable (inout CallRoundWriter<SQLitePushContext>, Database) throws -> T
    ) async throws -> T {
        let now = clock.now()
        let hlc = self.hlc
        let commits = self.commits
        return try await pool.write { db in
            let context = try SQLitePushContext(db: db, tenantId: tenantId, now: now, feed: commits)
            var writer = CallRoundWriter(context: context, stamps: hlc.begin(stored: context.storedHLC))
            let result = try body(&writer, db)
            try writer.context.commitVersion(highest: writer.stamps.highest)
            hlc.commit(writer.stamps)
            return result
        }
    }
}

extension RowRecord {
    init(_ row: StoredRow) {
        self.init(
            entity: row.entity,
            id: row.id,
            version: row.version,
            deleted: row.deleted,
            fields: row.fields,
            createdAt: row.createdAt,
            updatedAt: row.updatedAt
        )
    }
}
