import Foundation
import GRDB
import RevisitModel

extension ClientStore {
    static let rowColumns = "id, entity, version, deleted, fields, field_versions, inspection_id, plate_key, vin"

    /// Applies one pull page in one transaction: its rows, the new cursor and the HLC receive rule, so a crash
    /// never leaves a cursor ahead of the rows it stands for.
    ///
    /// - Returns: the number of changes applied.
    @discardableResult
    func applyPullPage(
        _ changes: [PulledChange],
        cursor: String,
        serverHLC: HLC,
        physicalMillis: Int64
    ) async throws -> Int {
        try await pool.writeWithoutTransaction { db in
            // A page that a power cut rolls back is simply pulled again (its cursor rolls back with it), so its
            // commit need not wait for the disk; edits keep durable commits (see ClientStore.init).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
            try db.inTransaction {
                try Self.apply(changes, db)
                try db.execute(sql: "UPDATE client_state SET cursor = ? WHERE id = 1", arguments: [cursor])
                try Self.receive(serverHLC, physicalMillis: physicalMillis, db)
                return .commit
            }
            return changes.count
        }
    }

    /// Writes pulled rows: new ones as they come, existing ones keeping the versions of fields that did not change.
    private static func apply(_ changes: [PulledChange], _ db: Database) throws {
        let insert = try db.cachedStatement(
            sql: "INSERT INTO server_rows (\(rowColumns)) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING"
        )
        let select = try db.cachedStatement(sql: "SELECT * FROM server_rows WHERE id = ?")
        let update = try db.cachedStatement(
            sql: """
                UPDATE server_rows SET entity = ?2, version = ?3, deleted = ?4, fields = ?5, field_versions = ?6,
                inspection_id = ?7, plate_key = ?8, vin = ?9 WHERE id = ?1
                """
        )
        for change in changes {
            let fresh = ServerRow(
                entity: change.entity,
                id: change.id,
                version: change.version,
                deleted: change.deleted,
                fields: change.fields
            )
            try insert.execute(arguments: fresh.arguments)
            guard db.changesCount == 0 else { continue }
            guard let row = try Row.fetchOne(select, arguments: [change.id]) else { continue }
            let existing = try ServerRow(row: row)
            guard change.version > existing.version else { continue }
            try update.execute(arguments: existing.updated(by: change).arguments)
        }
    }

    /// Drops the copy of server rows and the cursor after a 410, keeping pending and rejected mutations.
    func dropServerRows() async throws {
        try await pool.write { db in try Self.dropServerCopy(db) }
    }
}
