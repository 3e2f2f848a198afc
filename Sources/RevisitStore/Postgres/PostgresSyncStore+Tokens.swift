import Foundation
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    public func createToken(tenantSlug: String, role: Role, name: String?) async throws -> (TokenRecord, String) {
        let slug = tenantSlug.lowercased()
        guard TokenSecret.isValidSlug(slug) else {
            throw StoreError.validation("a tenant slug is 1…64 of a-z, 0-9 and -")
        }
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        let tenantId = try await withConnection { connection in
            let rows = try await connection.rows(
                """
                WITH created AS (
                    INSERT INTO tenants (slug, created_at) VALUES (\(slug), \(now))
                    ON CONFLICT (slug) DO NOTHING RETURNING id
                )
                SELECT id FROM created UNION ALL SELECT id FROM tenants WHERE slug = \(slug)
                """,
                logger: logger
            )
            guard let id = try rows.first?.decode(Int64.self) else {
                throw StoreError.notFound("tenant \(slug) could not be created")
            }
            return id
        }
        return try await createToken(tenantId: tenantId, role: role, name: name)
    }

    public func createToken(tenantId: Int64, role: Role, name: String?) async throws -> (TokenRecord, String) {
        let now = clock.now()
        let secret = TokenSecret.generate()
        let logger = self.logger
        return try await withConnection { connection in
            let rows = try await connection.rows(
                """
                INSERT INTO tokens (id, tenant_id, role, name, secret_hash, created_at)
                SELECT \(secret.id), id, \(role.rawValue), \(name), \(ByteBuffer(bytes: secret.hash)),
                       \(now.timeIntervalSince1970)
                FROM tenants WHERE id = \(tenantId)
                RETURNING (SELECT slug FROM tenants WHERE id = \(tenantId))
                """,
                logger: logger
            )
            guard let slug = try rows.first?.decode(String.self) else {
                throw StoreError.notFound("tenant \(tenantId) does not exist")
            }
            let record = TokenRecord(id: secret.id, tenantSlug: slug, role: role, name: name, createdAt: now)
            return (record, secret.token)
        }
    }

    public func authenticate(token: String) async throws -> Principal? {
        guard let parsed = TokenSecret.parse(token) else { return nil }
        let logger = self.logger
        return try await withConnection { connection in
            let rows = try await connection.rows(
                """
                SELECT tokens.tenant_id, tokens.role, tokens.secret_hash, tenants.slug FROM tokens
                JOIN tenants ON tenants.id = tokens.tenant_id
                WHERE tokens.id = \(parsed.id) AND tokens.revoked_at IS NULL
                """,
                logger: logger
            )
            guard let row = rows.first else { return nil }
            let (tenantId, roleText, hash, slug) = try row.decode((Int64, String, ByteBuffer, String).self)
            guard TokenSecret.matches(parsed.secret, hash: Data(buffer: hash)), let role = Role(rawValue: roleText)
            else { return nil }
            return Principal(tenantId: tenantId, tenantSlug: slug, role: role, tokenId: parsed.id)
        }
    }

    public func tokens(tenantId: Int64, cursor: String?, limit: Int) async throws -> Page<TokenRecord> {
        let after = try ListCursor.decode(cursor)
        let logger = self.logger
        return try await withConnection { connection in
            var page: [(Int64, TokenRecord)] = []
            for try await (seq, id, role, name, created, revoked, slug) in try await connection.query(
                """
                SELECT tokens.seq, tokens.id, tokens.role, tokens.name, tokens.created_at, tokens.revoked_at,
                       tenants.slug
                FROM tokens JOIN tenants ON tenants.id = tokens.tenant_id
                WHERE tokens.tenant_id = \(tenantId) AND tokens.seq > \(after) ORDER BY tokens.seq LIMIT \(limit + 1)
                """,
                logger: logger
            ).decode((Int64, String, String, String?, Double, Double?, String).self) {
                let record = TokenRecord(
                    id: id,
                    tenantSlug: slug,
                    role: Role(rawValue: role) ?? .device,
                    name: name,
                    createdAt: Date(timeIntervalSince1970: created),
                    revokedAt: revoked.map(Date.init(timeIntervalSince1970:))
                )
                page.append((seq, record))
            }
            return postgresPage(page, limit: limit)
        }
    }

    public func revokeToken(tenantId: Int64, id: String) async throws -> Bool {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        return try await withConnection { connection in
            let rows = try await connection.rows(
                """
                UPDATE tokens SET revoked_at = coalesce(revoked_at, \(now))
                WHERE tenant_id = \(tenantId) AND id = \(id) RETURNING id
                """,
                logger: logger
            )
            // A console signed in with this token is signed out with it.
            try await connection.query(
                "DELETE FROM web_sessions WHERE tenant_id = \(tenantId) AND purpose = 'console' AND subject = \(id)",
                logger: logger
            )
            return !rows.isEmpty
        }
    }
}
