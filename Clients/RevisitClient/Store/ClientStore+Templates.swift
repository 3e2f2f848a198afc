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
                    arguments: [id, version, body]
                )
            }
        }
    }

    /// A cached template: the given version, or the latest cached one when `version` is nil.
    static func template(id: String, version: Int?, _ db: Database) throws -> Template? {
        let body: String?
        if let version {
            body = try String.fetchOne(
                db,
                sql: "SELECT body FROM templates WHERE id = ? AND version = ?",
                arguments: [id, version]
            )
        } else {
            body = try String.fetchOne(
                db,
                sql: "SELECT body FROM templates WHERE id = ? ORDER BY version DESC LIMIT 1",
                arguments: [id]
            )
        }
        return try body.map { try JSONDecoder().decode(Template.self, from: Data($0.utf8)) }
    }

    /// The (template, version) pairs among `used` that the cache lacks.
    func missingTemplateVersions(among used: Set<TemplateVersion>) async throws -> [TemplateVersion] {
        try await pool.read { db in
            try used.sorted { ($0.id, $0.version) < ($1.id, $1.version) }.filter { pair in
                try Bool.fetchOne(
                    db,
                    sql: "SELECT 1 FROM templates WHERE id = ? AND version = ?",
                    arguments: [pair.id, pair.version]
                ) != true
            }
        }
    }
}

/// A template version an inspection uses.
struct TemplateVersion: Hashable, Sendable {
    var id: String
    var version: Int

    /// The template version a pulled inspection names, if it is an inspection that names one.
    init?(_ change: PulledChange) {
        guard change.entity == EntityKind.inspection.rawValue, !change.deleted,
            let id = change.fields["templateId"]?.stringValue, let version = change.fields["templateVersion"]?.intValue
        else { return nil }
        self.id = id
        self.version = Int(version)
    }
}
