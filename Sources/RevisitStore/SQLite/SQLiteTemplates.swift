import Foundation
import GRDB
import RevisitModel

/// Templates in SQLite; which version a tenant gets is ``TemplateVersions``.
enum SQLiteTemplates {
    static func template(_ db: Database, tenantId: Int64, id: String, version: Int?) throws -> Template? {
        var stored: [Int: Template] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT version, body FROM templates WHERE tenant_id = ? AND id = ?"),
            arguments: [tenantId, id]
        ) {
            stored[row["version"]] = try JSONDecoder().decode(Template.self, from: Data((row["body"] as String).utf8))
        }
        return TemplateVersions.resolve(id: id, version: version, stored: stored)
    }
}

extension SQLiteSyncStore {
    public func templates(tenantId: Int64) async throws -> [Template] {
        try await pool.read { db in
            let ids = try String.fetchAll(
                db,
                sql: "SELECT DISTINCT id FROM templates WHERE tenant_id = ?",
                arguments: [tenantId]
            )
            let all = Set(ids + BuiltInTemplates.all.map(\.id)).sorted()
            return try all.compactMap { try SQLiteTemplates.template(db, tenantId: tenantId, id: $0, version: nil) }
        }
    }

    public func template(tenantId: Int64, id: String, version: Int?) async throws -> Template? {
        try await pool.read { db in try SQLiteTemplates.template(db, tenantId: tenantId, id: id, version: version) }
    }

    public func putTemplate(tenantId: Int64, id: String, name: String, items: [TemplateItem]) async throws -> Template {
        let now = clock.now()
        return try await pool.write { db in
            let current = try SQLiteTemplates.template(db, tenantId: tenantId, id: id, version: nil)
            let template = Template(id: id, version: (current?.version ?? 0) + 1, name: name, items: items)
            do {
                try TemplateValidator.validate(template)
            } catch let problem as MutationProblem {
                throw StoreError.validation(problem.detail)
            }
            try db.execute(
                sql: "INSERT INTO templates (tenant_id, id, version, body, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    tenantId, id, template.version, String(decoding: try JSONEncoder().encode(template), as: UTF8.self),
                    now.timeIntervalSince1970,
                ]
            )
            return template
        }
    }
}
