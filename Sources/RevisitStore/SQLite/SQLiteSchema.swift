import GRDB

/// The SQLite schema. Migrations are append-only: a shipped one is never edited.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sync") { db in
            try db.execute(
                sql: """
                    CREATE TABLE tenants (
                        id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE,
                        version INTEGER NOT NULL DEFAULT 0, purged_version INTEGER NOT NULL DEFAULT 0,
                        created_at REAL NOT NULL);
                    CREATE TABLE tokens (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                        tenant_id INTEGER NOT NULL REFERENCES tenants(id), role TEXT NOT NULL, name TEXT,
                        secret_hash BLOB NOT NULL, created_at REAL NOT NULL, revoked_at REAL, last_used_at REAL);
                    CREATE INDEX tokens_tenant ON tokens(tenant_id, seq);
                    CREATE TABLE rows (
                        seq INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, id TEXT NOT NULL, entity TEXT NOT NULL,
                        version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, fields TEXT NOT NULL,
                        merge TEXT NOT NULL, parent_id TEXT, state TEXT, plate TEXT, vin TEXT,
                        created_at REAL NOT NULL, updated_at REAL NOT NULL);
                    CREATE UNIQUE INDEX rows_id ON rows(tenant_id, id);
                    CREATE UNIQUE INDEX rows_version ON rows(tenant_id, version);
                    CREATE INDEX rows_parent ON rows(tenant_id, parent_id, entity) WHERE parent_id IS NOT NULL;
                    CREATE INDEX rows_entity ON rows(tenant_id, entity, seq);
                    CREATE INDEX rows_plate ON rows(tenant_id, plate) WHERE plate IS NOT NULL;
                    CREATE INDEX rows_vin ON rows(tenant_id, vin) WHERE vin IS NOT NULL;
                    CREATE INDEX rows_tombstones ON rows(updated_at) WHERE deleted = 1;
                    CREATE TABLE purged_ids (
                        tenant_id INTEGER NOT NULL, id TEXT NOT NULL, entity TEXT NOT NULL,
                        PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
                    CREATE TABLE clients (
                        tenant_id INTEGER NOT NULL, client_id TEXT NOT NULL, last_mutation_id INTEGER NOT NULL,
                        PRIMARY KEY (tenant_id, client_id)) WITHOUT ROWID;
                    CREATE TABLE mutation_outcomes (
                        tenant_id INTEGER NOT NULL, client_id TEXT NOT NULL, mutation_id INTEGER NOT NULL,
                        status TEXT NOT NULL, version INTEGER, error TEXT, created_at REAL NOT NULL,
                        PRIMARY KEY (tenant_id, client_id, mutation_id)) WITHOUT ROWID;
                    CREATE INDEX mutation_outcomes_created ON mutation_outcomes(created_at);
                    CREATE TABLE conflicts (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id INTEGER NOT NULL,
                        entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL, rule TEXT NOT NULL,
                        winner TEXT NOT NULL, writes TEXT NOT NULL, resolved INTEGER NOT NULL,
                        created_at REAL NOT NULL, resolved_at REAL);
                    CREATE UNIQUE INDEX conflicts_open ON conflicts(tenant_id, entity_id, field) WHERE resolved = 0;
                    CREATE INDEX conflicts_list ON conflicts(tenant_id, resolved, seq);
                    CREATE TABLE templates (
                        tenant_id INTEGER NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
                        created_at REAL NOT NULL, PRIMARY KEY (tenant_id, id, version)) WITHOUT ROWID;
                    CREATE TABLE attachments (
                        tenant_id INTEGER NOT NULL, sha256 TEXT NOT NULL, content_type TEXT NOT NULL,
                        size INTEGER NOT NULL, created_at REAL NOT NULL,
                        PRIMARY KEY (tenant_id, sha256)) WITHOUT ROWID;
                    """
            )
        }
        registerFollowUps(&migrator)
        registerListIndexes(&migrator)
        registerServerHLC(&migrator)
        registerReviews(&migrator)
        registerCallRound(&migrator)
        return migrator
    }
}
