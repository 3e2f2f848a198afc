import GRDB

extension SQLiteSchema {
    /// Review links and web sessions (DESIGN section 13). A link is found by its token's hash from any tenant, so
    /// that index is global; sessions likewise by their cookie's hash.
    static func registerReviews(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-reviews") { db in
            try db.execute(
                sql: """
                    CREATE TABLE review_links (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id INTEGER NOT NULL,
                        inspection_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL,
                        created_at REAL NOT NULL, expires_at REAL NOT NULL, opened_at REAL, completed_at REAL,
                        revoked_at REAL);
                    CREATE INDEX review_links_inspection ON review_links(tenant_id, inspection_id, seq);
                    CREATE TABLE web_sessions (
                        id_hash TEXT PRIMARY KEY, tenant_id INTEGER NOT NULL, purpose TEXT NOT NULL,
                        subject TEXT NOT NULL, csrf TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL);
                    CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);
                    """
            )
        }
    }
}
