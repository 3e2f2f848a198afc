import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    public func createToken(tenantSlug: String, role: Role, name: String?) async throws -> (TokenRecord, String) {
        let slug = tenantSlug.lowercased()
        guard TokenSecret.isValidSlug(slug) else {
            throw StoreError.validation("a tenant slug is 1…64 of a-z, 0-9 and -")
        }
        let now = clock.now()
        let tenantId = try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO tenants (slug, created_at) VALUES (?, ?)",
                arguments: [slug, now.timeIntervalSince1970]
            )
            return try Int64.fetchOne(db, sql: "SELECT id FROM tenants WHERE slug = ?", arguments: [slug]) ?? 0
        }
        return try await createToken(tenantId: tenantId, role: role, name: name)
    }

    public func createToken(tenantId: Int64, role: Role, name: String?) async throws -> (TokenRecord, String) {
        let now = clock.now()
        let secret = TokenSecret.generate()
        return try await pool.write { db in
            guard
                let slug = try String.fetchOne(db, sql: "SELECT slug FROM tenants WHERE id = ?", arguments: [tenantId])
            else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
            try db.execute(
                sql: """
                    INSERT INTO tokens (id, tenant_id, role, name, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [secret.id, tenantId, role.rawValue, name, secret.hash, now.timeIntervalSince1970]
            )
            let record = TokenRecord(id: secret.id, tenantSlug: slug, role: role, name: name, createdAt: now)
            return (record, secret.token)
        }
    }

    public func authenticate(token: String) async throws -> Principal? {
        guard let parsed = TokenSecret.parse(token) else { return nil }
        return try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT tokens.tenant_id, tokens.role, tokens.secret_hash, tenants.slug FROM tokens
                            JOIN tenants ON tenants.id = tokens.tenant_id
                            WHERE tokens.id = ? AND tokens.revoked_at IS NULL
                            """
                    ),
                    arguments: [parsed.id]
                ),
                TokenSecret.matches(parsed.secret, hash: row["secret_hash"]),
                let role = Role(rawValue: row["role"])
            else { return nil }
            return Principal(tenantId: row["tenant_id"], tenantSlug: row["slug"], role: role, tokenId: parsed.id)
        }
    }

    public func tokens(tenantId: Int64, cursor: String?, limit: Int) async throws -> Page<TokenRecord> {
        let after = try ListCursor.decode(cursor)
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT tokens.*, tenants.slug FROM tokens JOIN tenants ON tenants.id = tokens.tenant_id
                    WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?
                    """,
                arguments: [tenantId, after, limit + 1]
            )
            return try ListCursor.page(rows, limit: limit) { row in
                TokenRecord(
                    id: row["id"],
                    tenantSlug: row["slug"],
                    role: Role(rawValue: row["role"]) ?? .device,
                    name: row["name"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:))
                )
            }
        }
    }

    public func revokeToken(tenantId: Int64, id: String) async throws -> Bool {
        let now = clock.now()
        return try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND id = ?
                    """,
                arguments: [now.timeIntervalSince1970, tenantId, id]
            )
            let revoked = db.changesCount > 0
            // A console signed in with this token is signed out with it.
            try db.execute(
                sql: "DELETE FROM web_sessions WHERE tenant_id = ? AND purpose = 'console' AND subject = ?",
                arguments: [tenantId, id]
            )
            return revoked
        }
    }
}
