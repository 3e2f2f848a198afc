import Foundation
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    public func inspection(tenantId: Int64, id: String) async throws -> InspectionDetail? {
        let logger = self.logger
        return try await withConnection { connection in
            guard
                let inspection = try await Self.live(
                    connection,
                    tenantId: tenantId,
                    id: id,
                    entity: .inspection,
                    logger: logger
                )
            else { return nil }
            let items = try await connection.rows(
                """
                SELECT \(unescaped: rowRecordColumns) FROM rows
                WHERE tenant_id = \(tenantId) AND parent_id = \(inspection.id) AND entity = 'item' AND NOT deleted
                """,
                logger: logger
            ).map { try RowRecord.postgres($0).1 }
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
        let logger = self.logger
        var binds = PostgresBindings()
        binds.append(tenantId)
        var sql = "SELECT \(rowRecordColumns) FROM rows WHERE tenant_id = $1 AND entity = 'inspection' AND NOT deleted"
        if let vehicleId {
            binds.append(vehicleId.lowercased())
            sql += " AND parent_id = $\(binds.count)"
        }
        if let state {
            binds.append(state)
            sql += " AND state = $\(binds.count)"
        }
        binds.append(before)
        sql += " AND seq < $\(binds.count) ORDER BY seq DESC"
        binds.append(Int64(limit + 1))
        sql += " LIMIT $\(binds.count)"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await withConnection { connection in
            postgresPage(try await connection.rows(query, logger: logger).map(RowRecord.postgres), limit: limit)
        }
    }

    public func vehicle(tenantId: Int64, id: String) async throws -> VehicleDetail? {
        let logger = self.logger
        return try await withConnection { connection in
            guard
                let vehicle = try await Self.live(
                    connection,
                    tenantId: tenantId,
                    id: id,
                    entity: .vehicle,
                    logger: logger
                )
            else { return nil }
            let inspections = try await connection.rows(
                """
                SELECT \(unescaped: rowRecordColumns) FROM rows
                WHERE tenant_id = \(tenantId) AND parent_id = \(vehicle.id) AND entity = 'inspection' AND NOT deleted
                """,
                logger: logger
            ).map { try RowRecord.postgres($0).1 }
            var reported: [OdometerReading] = []
            for try await (value, at, source, followup) in try await connection.query(
                """
                SELECT value, read_at, source, followup_id FROM odometer_readings
                WHERE tenant_id = \(tenantId) AND vehicle_id = \(vehicle.id) ORDER BY read_at, seq
                """,
                logger: logger
            ).decode((Int64, Double, String, String?).self) {
                reported.append(
                    OdometerReading(stored: value, readAt: at, source: source, followupId: followup)
                )
            }
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
        let logger = self.logger
        var binds = PostgresBindings()
        binds.append(tenantId)
        var sql = "SELECT \(rowRecordColumns) FROM rows WHERE tenant_id = $1 AND entity = 'vehicle' AND NOT deleted"
        if let plate {
            binds.append(PlateKey.normalise(plate))
            sql += " AND plate = $\(binds.count)"
        }
        if let vin {
            binds.append(vin.uppercased())
            sql += " AND vin = $\(binds.count)"
        }
        binds.append(after)
        sql += " AND seq > $\(binds.count) ORDER BY seq"
        binds.append(Int64(limit + 1))
        sql += " LIMIT $\(binds.count)"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await withConnection { connection in
            postgresPage(try await connection.rows(query, logger: logger).map(RowRecord.postgres), limit: limit)
        }
    }

    public func customer(tenantId: Int64, id: String) async throws -> RowRecord? {
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.live(connection, tenantId: tenantId, id: id, entity: .customer, logger: logger)
        }
    }

    static func live(
        _ connection: PostgresConnection,
        tenantId: Int64,
        id: String,
        entity: EntityKind,
        logger: Logger
    ) async throws -> RowRecord? {
        try await connection.rows(
            """
            SELECT \(unescaped: rowRecordColumns) FROM rows
            WHERE tenant_id = \(tenantId) AND id = \(id.lowercased()) AND entity = \(entity.rawValue) AND NOT deleted
            """,
            logger: logger
        ).first.map { try RowRecord.postgres($0).1 }
    }

    // MARK: Templates

    public func templates(tenantId: Int64) async throws -> [Template] {
        let stored = try await storedTemplates(tenantId: tenantId, ids: nil)
        let all = Set(stored.keys).union(BuiltInTemplates.all.map(\.id)).sorted()
        return all.compactMap { TemplateVersions.resolve(id: $0, version: nil, stored: stored[$0]) }
    }

    public func template(tenantId: Int64, id: String, version: Int?) async throws -> Template? {
        let stored = try await storedTemplates(tenantId: tenantId, ids: [id])
        return TemplateVersions.resolve(id: id, version: version, stored: stored[id])
    }

    private func storedTemplates(tenantId: Int64, ids: [String]?) async throws -> [String: [Int: Template]] {
        let logger = self.logger
        return try await withConnection { connection in
            let rows =
                if let ids {
                    try await connection.rows(
                        "SELECT id, version, body FROM templates WHERE tenant_id = \(tenantId) AND id = ANY(\(ids))",
                        logger: logger
                    )
                } else {
                    try await connection.rows(
                        "SELECT id, version, body FROM templates WHERE tenant_id = \(tenantId)",
                        logger: logger
                    )
                }
            var stored: [String: [Int: Template]] = [:]
            for row in rows {
                let (id, version, body) = try row.decode((String, Int64, String).self)
                stored[id, default: [:]][Int(version)] = try JSONDecoder().decode(
                    Template.self,
                    from: Data(body.utf8)
                )
            }
            return stored
        }
    }

    /// Two admins storing the same template at once: the primary key on the version makes one of them fail and
    /// retry on the next version, so neither overwrites the other.
    public func putTemplate(tenantId: Int64, id: String, name: String, items: [TemplateItem]) async throws -> Template {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        let current = try await template(tenantId: tenantId, id: id, version: nil)
        let template = Template(id: id, version: (current?.version ?? 0) + 1, name: name, items: items)
        do {
            try TemplateValidator.validate(template)
        } catch let problem as MutationProblem {
            throw StoreError.validation(problem.detail)
        }
        let body = String(decoding: try JSONEncoder().encode(template), as: UTF8.self)
        let inserted = try await withConnection { connection in
            try await connection.rows(
                """
                INSERT INTO templates (tenant_id, id, version, body, created_at)
                VALUES (\(tenantId), \(id), \(Int64(template.version)), \(body), \(now))
                ON CONFLICT DO NOTHING RETURNING version
                """,
                logger: logger
            )
        }
        if inserted.isEmpty { return try await putTemplate(tenantId: tenantId, id: id, name: name, items: items) }
        return template
    }

    // MARK: Attachments

    public func attachment(tenantId: Int64, sha256: String) async throws -> AttachmentRecord? {
        let logger = self.logger
        return try await withConnection { connection in
            try await connection.rows(
                """
                SELECT sha256, content_type, size, created_at FROM attachments
                WHERE tenant_id = \(tenantId) AND sha256 = \(sha256)
                """,
                logger: logger
            ).first.map { row in
                let (sha, type, size, created) = try row.decode((String, String, Int64, Double).self)
                return AttachmentRecord(
                    sha256: sha,
                    contentType: type,
                    size: size,
                    createdAt: Date(timeIntervalSince1970: created)
                )
            }
        }
    }

    public func recordAttachment(tenantId: Int64, _ record: AttachmentRecord) async throws -> Bool {
        let logger = self.logger
        return try await withConnection { connection in
            !(try await connection.rows(
                """
                INSERT INTO attachments (tenant_id, sha256, content_type, size, created_at)
                VALUES (\(tenantId), \(record.sha256), \(record.contentType), \(record.size),
                        \(record.createdAt.timeIntervalSince1970))
                ON CONFLICT DO NOTHING RETURNING sha256
                """,
                logger: logger
            ).isEmpty)
        }
    }
}
