import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    private static let columns = "seq, entity, id, version, deleted, fields, created_at, updated_at"

    public func inspection(tenantId: Int64, id: String) async throws -> InspectionDetail? {
        try await pool.read { db in
            guard let inspection = try Self.live(db, tenantId: tenantId, id: id, entity: .inspection) else {
                return nil
            }
            let items = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.columns) FROM rows
                    WHERE tenant_id = ? AND parent_id = ? AND entity = 'item' AND deleted = 0
                    """,
                arguments: [tenantId, inspection.id]
            ).map(RowRecord.init(row:))
            return InspectionDetail(inspection: inspection, unorderedItems: items)
        }
    }

    public func inspections(
        tenantId: Int64,
        vehicleId: String?,
        state: String?,
        cursor: String?,
        limit: Int
    ) async throws -> Page<RowRecord> {
        let before = try cursor.map { try ListCursor.decode($0) } ?? Int64.max
        return try await pool.read { db in
            var sql = "SELECT \(Self.columns) FROM rows WHERE tenant_id = ? AND entity = 'inspection' AND deleted = 0"
            var arguments: StatementArguments = [tenantId]
            if let vehicleId {
                sql += " AND parent_id = ?"
                _ = arguments.append(contentsOf: [vehicleId.lowercased()])
            }
            if let state {
                sql += " AND state = ?"
                _ = arguments.append(contentsOf: [state])
            }
            sql += " AND seq < ? ORDER BY seq DESC LIMIT ?"
            _ = arguments.append(contentsOf: [before, limit + 1])
            return try ListCursor.page(try Row.fetchAll(db, sql: sql, arguments: arguments), limit: limit) {
                try RowRecord(row: $0)
            }
        }
    }

    public func vehicle(tenantId: Int64, id: String) async throws -> VehicleDetail? {
        try await pool.read { db in
            guard let vehicle = try Self.live(db, tenantId: tenantId, id: id, entity: .vehicle) else { return nil }
            let inspections = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.columns) FROM rows
                    WHERE tenant_id = ? AND parent_id = ? AND entity = 'inspection' AND deleted = 0
                    """,
                arguments: [tenantId, vehicle.id]
            ).map(RowRecord.init(row:))
            let reported = try SQLiteReadings.reported(db, tenantId: tenantId, vehicleId: vehicle.id)
            return VehicleDetail(vehicle: vehicle, unorderedInspections: inspections, reported: reported)
        }
    }

    public func vehicles(
        tenantId: Int64,
        plate: String?,
        vin: String?,
        cursor: String?,
        limit: Int
    ) async throws -> Page<RowRecord> {
        let after = try ListCursor.decode(cursor)
        return try await pool.read { db in
            var sql = "SELECT \(Self.columns) FROM rows WHERE tenant_id = ? AND entity = 'vehicle' AND deleted = 0"
            var arguments: StatementArguments = [tenantId]
            if let plate {
                sql += " AND plate = ?"
                _ = arguments.append(contentsOf: [PlateKey.normalise(plate)])
            }
            if let vin {
                sql += " AND vin = ?"
                _ = arguments.append(contentsOf: [vin.uppercased()])
            }
            sql += " AND seq > ? ORDER BY seq LIMIT ?"
            _ = arguments.append(contentsOf: [after, limit + 1])
            return try ListCursor.page(try Row.fetchAll(db, sql: sql, arguments: arguments), limit: limit) {
                try RowRecord(row: $0)
            }
        }
    }

    public func customer(tenantId: Int64, id: String) async throws -> RowRecord? {
        try await pool.read { db in try Self.live(db, tenantId: tenantId, id: id, entity: .customer) }
    }

    static func live(_ db: Database, tenantId: Int64, id: String, entity: EntityKind) throws -> RowRecord? {
        try Row.fetchOne(
            db,
            sql: "SELECT \(columns) FROM rows WHERE tenant_id = ? AND id = ? AND entity = ? AND deleted = 0",
            arguments: [tenantId, id.lowercased(), entity.rawValue]
        ).map(RowRecord.init(row:))
    }

    // MARK: Attachments

    public func attachment(tenantId: Int64, sha256: String) async throws -> AttachmentRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM attachments WHERE tenant_id = ? AND sha256 = ?",
                arguments: [tenantId, sha256]
            ).map { row in
                AttachmentRecord(
                    sha256: row["sha256"],
                    contentType: row["content_type"],
                    size: row["size"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"])
                )
            }
        }
    }

    public func recordAttachment(tenantId: Int64, _ record: AttachmentRecord) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO attachments (tenant_id, sha256, content_type, size, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    tenantId, record.sha256, record.contentType, record.size, record.createdAt.timeIntervalSince1970,
                ]
            )
            return db.changesCount > 0
        }
    }
}

extension RowRecord {
    init(row: Row) throws {
        guard let entity = EntityKind(rawValue: row["entity"]) else {
            throw StoreError.malformed("stored row has an unknown entity")
        }
        self.init(
            entity: entity,
            id: row["id"],
            version: row["version"],
            deleted: row["deleted"],
            fields: try JSONValue.parse(Data((row["fields"] as String).utf8)).objectValue ?? [:],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"])
        )
    }
}
