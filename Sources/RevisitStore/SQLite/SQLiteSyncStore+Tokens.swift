import Crypto
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
            return db.changesCount > 0
        }
    }
}

/// Tokens are `rvt_<id>_<secret>`: the id finds the row, and only a SHA-256 of the 256-bit secret is stored and
/// compared in constant time, so neither a database dump nor response timing gives a token away.
enum TokenSecret {
    struct Generated {
        var id: String
        var token: String
        var hash: Data
    }

    static func generate() -> Generated {
        var rng = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        let secretBytes = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let secret = secretBytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return Generated(id: id, token: "rvt_\(id)_\(secret)", hash: Data(SHA256.hash(data: Data(secret.utf8))))
    }

    static func parse(_ token: String) -> (id: String, secret: String)? {
        let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "rvt", parts[1].count == 32, !parts[2].isEmpty else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    static func matches(_ secret: String, hash: Data) -> Bool {
        let computed = Data(SHA256.hash(data: Data(secret.utf8)))
        guard computed.count == hash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(computed, hash) { difference |= a ^ b }
        return difference == 0
    }

    static func isValidSlug(_ slug: String) -> Bool {
        !slug.isEmpty && slug.count <= 64
            && slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
