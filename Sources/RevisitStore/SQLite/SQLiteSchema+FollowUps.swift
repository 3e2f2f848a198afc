import GRDB

extension SQLiteSchema {
    /// Follow-ups, the event outbox, webhook endpoints and their deliveries (issue 3).
    /// Lists page through inspections and vehicles only; an index over every row's entity cost each item insert
    /// (most rows are items) for nothing.
    static func registerListIndexes(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-list-indexes") { db in
            try db.execute(
                sql: """
                    DROP INDEX rows_entity;
                    CREATE INDEX rows_inspections ON rows(tenant_id, seq) WHERE entity = 'inspection';
                    CREATE INDEX rows_vehicles ON rows(tenant_id, seq) WHERE entity = 'vehicle';
                    """
            )
        }
    }

    static func registerFollowUps(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-followups") { db in
            try db.execute(
                sql: """
                    ALTER TABLE tenants ADD COLUMN settings TEXT;
                    ALTER TABLE tenants ADD COLUMN event_position INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE followups (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id INTEGER NOT NULL,
                        item_id TEXT NOT NULL, inspection_id TEXT NOT NULL, vehicle_id TEXT NOT NULL,
                        code TEXT NOT NULL, state TEXT NOT NULL, due_date TEXT NOT NULL, release_at REAL NOT NULL,
                        released_at REAL, version INTEGER NOT NULL, body TEXT NOT NULL,
                        created_at REAL NOT NULL, updated_at REAL NOT NULL);
                    CREATE UNIQUE INDEX followups_item ON followups(tenant_id, item_id);
                    CREATE INDEX followups_due ON followups(release_at) WHERE state = 'scheduled';
                    CREATE INDEX followups_vehicle ON followups(tenant_id, vehicle_id, code);
                    CREATE INDEX followups_list ON followups(tenant_id, state, seq);
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id INTEGER NOT NULL,
                        position INTEGER NOT NULL, type TEXT NOT NULL, timestamp REAL NOT NULL, body BLOB NOT NULL);
                    CREATE UNIQUE INDEX events_position ON events(tenant_id, position);
                    CREATE INDEX events_time ON events(tenant_id, timestamp);
                    CREATE TABLE webhook_endpoints (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id INTEGER NOT NULL,
                        url TEXT NOT NULL, events TEXT NOT NULL, description TEXT, enabled INTEGER NOT NULL,
                        disabled_reason TEXT, secret TEXT NOT NULL, previous_secret TEXT,
                        previous_secret_expires_at REAL, secret_rotated_at REAL, failing_since REAL,
                        deleted INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL, updated_at REAL NOT NULL);
                    CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints(tenant_id, deleted, seq);
                    CREATE TABLE deliveries (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id INTEGER NOT NULL,
                        endpoint_id TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
                        state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL,
                        claimed_until REAL, last_attempt_at REAL, last_status_code INTEGER, last_duration_ms INTEGER,
                        last_response_body TEXT, last_error TEXT, created_at REAL NOT NULL);
                    CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state = 'pending';
                    CREATE INDEX deliveries_endpoint ON deliveries(endpoint_id, seq);
                    CREATE TABLE delivery_attempts (
                        seq INTEGER PRIMARY KEY, delivery_id TEXT NOT NULL, attempted_at REAL NOT NULL,
                        status_code INTEGER, duration_ms INTEGER NOT NULL, response_body TEXT, error TEXT);
                    CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery_id, seq);
                    """
            )
        }
    }
}
