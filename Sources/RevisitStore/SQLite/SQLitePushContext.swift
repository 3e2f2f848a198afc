import Foundation
import GRDB
import RevisitModel

/// A push's view of one tenant inside a GRDB write transaction. Statements are cached; templates and attachment
/// checks are memoised for the length of the push.
final class SQLitePushContext: PushContext {
    let db: Database
    let tenantId: Int64
    let now: Date
    private var version: Int64
    private let startVersion: Int64
    private var templates: [String: Template?] = [:]
    private var attachments: [String: Bool] = [:]
    /// Rows read or written during this push: an inspection's items all look up the same inspection.
    private var rows: [String: StoredRow?] = [:]
    private let hasPurged: Bool
    /// The highest HLC stored with the tenant (``ServerHLC/highest`` at its last push).
    let storedHLC: HLC
    /// The ids this writer's rules hand out.
    var ids = IdSource()
    /// Told of the tenant's new version once the transaction commits (waiting pulls and streams). Every writer
    /// passes it: a held poll trusts the newest version announced, so a version moved unannounced would go unseen.
    private let feed: CommitFeed

    init(db: Database, tenantId: Int64, now: Date, feed: CommitFeed) throws {
        self.db = db
        self.feed = feed
        self.tenantId = tenantId
        self.now = now
        guard
            let tenant = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT version, purged_version, hlc_wall, hlc_counter FROM tenants WHERE id = ?"
                ),
                arguments: [tenantId]
            )
        else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
        version = tenant["version"]
        startVersion = version
        hasPurged = (tenant["purged_version"] as Int64) > 0
        storedHLC = HLC(wall: tenant["hlc_wall"], counter: tenant["hlc_counter"])
    }

    func nextVersion() -> Int64 {
        version += 1
        return version
    }

    /// Writes the tenant's version and the highest HLC handed out (`highest`, when above the stored one), in the
    /// transaction of the writes that used them.
    func commitVersion(highest: HLC) throws {
        let clock = max(highest, storedHLC)
        guard version != startVersion || clock != storedHLC else { return }
        try db.cachedStatement(sql: "UPDATE tenants SET version = ?, hlc_wall = ?, hlc_counter = ? WHERE id = ?")
            .execute(arguments: [version, clock.wall, clock.counter, tenantId])
        guard version != startVersion else { return }
        let signal = ChangeSignal.committed(tenantId: tenantId, version: version)
        let feed = self.feed
        // After the commit, not before: a woken pull must find the rows it was woken for.
        db.afterNextTransaction(onCommit: { _ in feed.publish(signal) })
    }

    func lastMutationId(clientId: String) throws -> Int64 {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT last_mutation_id FROM clients WHERE tenant_id = ? AND client_id = ?"),
            arguments: [tenantId, clientId]
        ) ?? 0
    }

    func setLastMutationId(clientId: String, _ id: Int64) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO clients (tenant_id, client_id, last_mutation_id) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id, client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id
                """
        ).execute(arguments: [tenantId, clientId, id])
    }

    func outcome(clientId: String, mutationId: Int64) throws -> StoredOutcome? {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT status, version, error FROM mutation_outcomes
                    WHERE tenant_id = ? AND client_id = ? AND mutation_id = ?
                    """
            ),
            arguments: [tenantId, clientId, mutationId]
        )
        guard let row, let status = MutationStatus(rawValue: row["status"]) else { return nil }
        let error = (row["error"] as String?).flatMap {
            try? JSONDecoder().decode(MutationProblem.self, from: Data($0.utf8))
        }
        return StoredOutcome(status: status, version: row["version"], error: error)
    }

    func saveOutcome(clientId: String, mutationId: Int64, _ outcome: StoredOutcome) throws {
        let error = try outcome.error.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO mutation_outcomes
                    (tenant_id, client_id, mutation_id, status, version, error, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            tenantId, clientId, mutationId, outcome.status.rawValue, outcome.version, error,
            now.timeIntervalSince1970,
        ])
    }

    func row(id: String) throws -> StoredRow? {
        if let known = rows[id] { return known }
        let found = try fetchRow(id: id)
        rows[id] = found
        return found
    }

    private func fetchRow(id: String) throws -> StoredRow? {
        if let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT entity, id, version, deleted, fields, merge, created_at, updated_at
                    FROM rows WHERE tenant_id = ? AND id = ?
                    """
            ),
            arguments: [tenantId, id]
        ) {
            return try StoredRow(row: row)
        }
        guard hasPurged else { return nil }
        let purged = try String.fetchOne(
            db.cachedStatement(sql: "SELECT entity FROM purged_ids WHERE tenant_id = ? AND id = ?"),
            arguments: [tenantId, id]
        )
        return purged.flatMap(EntityKind.init(rawValue:)).map { StoredRow.purged($0, id: id, now: now) }
    }

    func save(_ row: StoredRow) throws {
        rows[row.id] = row
        let projection = RowProjection(row)
        try db.cachedStatement(
            sql: """
                INSERT INTO rows (tenant_id, id, entity, version, deleted, fields, merge, parent_id, state, plate, vin,
                                  created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, id) DO UPDATE SET
                    version = excluded.version, deleted = excluded.deleted, fields = excluded.fields,
                    merge = excluded.merge, parent_id = excluded.parent_id, state = excluded.state,
                    plate = excluded.plate, vin = excluded.vin, updated_at = excluded.updated_at
                """
        ).execute(arguments: [
            tenantId, row.id, row.entity.rawValue, row.version, row.deleted,
            String(decoding: JSONValue.object(row.fields).jsonData(), as: UTF8.self),
            String(decoding: row.merge.storageJSON().jsonData(), as: UTF8.self),
            projection.parentId, projection.state, projection.plate, projection.vin,
            row.createdAt.timeIntervalSince1970, row.updatedAt.timeIntervalSince1970,
        ])
    }

    func hasLiveReferences(to id: String) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(
                sql: "SELECT EXISTS (SELECT 1 FROM rows WHERE tenant_id = ? AND parent_id = ? AND deleted = 0)"
            ),
            arguments: [tenantId, id]
        ) ?? false
    }

    func items(ofInspection id: String) throws -> [StoredRow] { try liveChildren(of: id, entity: .item) }

    func vehicles(ofCustomer id: String) throws -> [StoredRow] { try liveChildren(of: id, entity: .vehicle) }

    /// The live rows of one kind that refer to `parent` (an inspection's items, a customer's vehicles).
    private func liveChildren(of parent: String, entity: EntityKind) throws -> [StoredRow] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT entity, id, version, deleted, fields, merge, created_at, updated_at FROM rows
                    WHERE tenant_id = ? AND parent_id = ? AND entity = ? AND deleted = 0
                    """
            ),
            arguments: [tenantId, parent, entity.rawValue]
        ).map(StoredRow.init(row:))
    }

    func attachmentExists(sha256: String) throws -> Bool {
        if let known = attachments[sha256] { return known }
        let exists =
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM attachments WHERE tenant_id = ? AND sha256 = ?)"
                ),
                arguments: [tenantId, sha256]
            ) ?? false
        attachments[sha256] = exists
        return exists
    }

    func template(id: String, version: Int?) throws -> Template? {
        let key = "\(id)@\(version ?? 0)"
        if let known = templates[key] { return known }
        let found = try SQLiteTemplates.template(db, tenantId: tenantId, id: id, version: version)
        templates[key] = found
        return found
    }

    func openConflict(entityId: String, field: String) throws -> ConflictRecord? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT * FROM conflicts WHERE tenant_id = ? AND entity_id = ? AND field = ? AND resolved = 0"
            ),
            arguments: [tenantId, entityId, field]
        ).map(ConflictRecord.init(row:))
    }

    func openConflicts(entityId: String) throws -> [ConflictRecord] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM conflicts WHERE tenant_id = ? AND entity_id = ? AND resolved = 0"),
            arguments: [tenantId, entityId]
        ).map(ConflictRecord.init(row:))
    }

    func save(_ conflict: ConflictRecord) throws {
        try SQLiteConflicts.save(conflict, tenantId: tenantId, db: db)
    }
}

extension StoredRow {
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
            merge: MergeState(storageJSON: try JSONValue.parse(Data((row["merge"] as String).utf8))),
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"])
        )
    }
}
