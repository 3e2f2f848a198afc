import Foundation
import GRDB
import RevisitModel

extension ClientStore {
    /// Keeps a conflict from a push answer or the server's list (the newer record of an id replaces the older).
    static func save(_ conflict: Conflict, _ db: Database) throws {
        let writes = JSONValue.array(conflict.writes.map(\.json))
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO conflicts (id, entity, entity_id, field, rule, winner, writes, resolved,
                created_at) VALUES (?,?,?,?,?,?,?,?,?)
                """,
            arguments: [
                conflict.id, conflict.entity, conflict.entityId, conflict.field, conflict.rule,
                conflict.winner.jsonString, writes.jsonString, conflict.resolved,
                RFC3339DateTime.string(from: conflict.createdAt),
            ]
        )
    }

    /// Replaces what the store knows of conflicts with the server's list of open ones.
    func replaceOpenConflicts(_ conflicts: [Conflict]) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM conflicts")
            for conflict in conflicts { try Self.save(conflict, db) }
        }
    }

    /// The open conflicts the store knows of, oldest first, with the item code and inspection of item conflicts.
    func openConflicts() throws -> [Conflict] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT conflicts.*, json_extract(server_rows.fields, '$.code') AS item_code,
                        server_rows.inspection_id AS item_inspection
                    FROM conflicts LEFT JOIN server_rows ON server_rows.id = conflicts.entity_id
                        AND conflicts.entity = 'item'
                    WHERE conflicts.resolved = 0 ORDER BY conflicts.created_at, conflicts.id
                    """
            )
            return try rows.map { row in
                let writes = try JSONValue.parse(Data((row["writes"] as String).utf8)).arrayValue ?? []
                return Conflict(
                    id: row["id"],
                    entity: row["entity"],
                    entityId: row["entity_id"],
                    field: row["field"],
                    rule: row["rule"],
                    winner: try JSONValue.parse(Data((row["winner"] as String).utf8)),
                    writes: writes.compactMap(OpenWrite.init(json:)),
                    resolved: row["resolved"],
                    createdAt: RFC3339DateTime.date(from: row["created_at"]) ?? Date(timeIntervalSince1970: 0),
                    itemCode: row["item_code"],
                    inspectionId: row["item_inspection"]
                )
            }
        }
    }
}
