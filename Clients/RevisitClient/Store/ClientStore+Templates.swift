import Foundation
import GRDB
import RevisitModel

extension ClientStore {
    /// Caches templates (a version, once known, never changes, so a cached one is replaced only by itself).
    func saveTemplates(_ templates: [Template]) async throws {
        let encoder = JSONEncoder()
        let rows = try templates.map { ($0.id, $0.version, String(decoding: try encoder.encode($0), as: UTF8.self)) }
        try await pool.write { db in
            for (id, version, body) in rows {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO templates (id, version, body) VALUES (?,?,?)",
                    arguments: [id, version, body])
            }
        }
    }

    /// A cached template: the given version, or the latest cached one when `version` is nil.
    static func template(id: String, version: Int?, _ db: Database) throws -> Template? {
        let body: String?
        if let version {
            body = try String.fetchOne(
                db, sql: "SELECT body FROM templates WHERE id = ? AND version = ?", arguments: [id, version])
        } else {
            body = try String.fetchOne(
                db, sql: "SELECT body FROM templates WHERE id = ? ORDER BY version DESC LIMIT 1", arguments: [id])
        }
        return try body.map { try JSONDecoder().decode(Template.self, from: Data($0.utf8)) }
    }

    /// The (template, version) pairs that inspections in the store use but the cache lacks.
    func missingTemplateVersions() async throws -> [(String, Int)] {
        try await pool.read { db in
            let used = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT json_extract(fields, '$.templateId') AS id,
                        json_extract(fields, '$.templateVersion') AS version
                    FROM server_rows WHERE entity = 'inspection' AND deleted = 0
                    """)
            return try used.compactMap { row -> (String, Int)? in
                guard let id = row["id"] as String?, let version = row["version"] as Int? else { return nil }
                let cached = try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM templates WHERE id = ? AND version = ?", arguments: [id, version])
                return cached == true ? nil : (id, version)
            }
        }
    }
}
