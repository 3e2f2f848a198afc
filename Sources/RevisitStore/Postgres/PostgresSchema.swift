import Foundation
import PostgresNIO

/// The PostgreSQL schema. Migrations are append-only (a shipped one is never edited) and run at start under an
/// advisory lock, so that instances starting together migrate once and the others wait for it.
enum PostgresSchema {
    struct Migration {
        let name: String
        let statements: [String]
    }

    /// Any fixed number: the lock is held only while migrating.
    static let lockKey: Int64 = 0x7265_7669_7369_74

    static let migrations: [Migration] = [
        Migration(
            name: "v1-sync",
            statements: [
                """
                CREATE TABLE tenants (
                    id BIGSERIAL PRIMARY KEY, slug TEXT NOT NULL UNIQUE,
                    version BIGINT NOT NULL DEFAULT 0, purged_version BIGINT NOT NULL DEFAULT 0,
                    event_position BIGINT NOT NULL DEFAULT 0, settings TEXT,
                    created_at DOUBLE PRECISION NOT NULL)
                """,
                """
                CREATE TABLE tokens (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                    tenant_id BIGINT NOT NULL REFERENCES tenants(id), role TEXT NOT NULL, name TEXT,
                    secret_hash BYTEA NOT NULL, created_at DOUBLE PRECISION NOT NULL,
                    revoked_at DOUBLE PRECISION, last_used_at DOUBLE PRECISION)
                """,
                "CREATE INDEX tokens_tenant ON tokens(tenant_id, seq)",
                """
                CREATE TABLE rows (
                    seq BIGSERIAL PRIMARY KEY, tenant_id BIGINT NOT NULL, id TEXT NOT NULL, entity TEXT NOT NULL,
                    version BIGINT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT FALSE, fields TEXT NOT NULL,
                    merge TEXT NOT NULL, parent_id TEXT, state TEXT, plate TEXT, vin TEXT,
                    created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)
                """,
                "CREATE UNIQUE INDEX rows_id ON rows(tenant_id, id)",
                "CREATE UNIQUE INDEX rows_version ON rows(tenant_id, version)",
                "CREATE INDEX rows_parent ON rows(tenant_id, parent_id, entity) WHERE parent_id IS NOT NULL",
                "CREATE INDEX rows_inspections ON rows(tenant_id, seq) WHERE entity = 'inspection'",
                "CREATE INDEX rows_vehicles ON rows(tenant_id, seq) WHERE entity = 'vehicle'",
                "CREATE INDEX rows_plate ON rows(tenant_id, plate) WHERE plate IS NOT NULL",
                "CREATE INDEX rows_vin ON rows(tenant_id, vin) WHERE vin IS NOT NULL",
                "CREATE INDEX rows_tombstones ON rows(updated_at) WHERE deleted",
                """
                CREATE TABLE purged_ids (
                    tenant_id BIGINT NOT NULL, id TEXT NOT NULL, entity TEXT NOT NULL, PRIMARY KEY (tenant_id, id))
                """,
                """
                CREATE TABLE clients (
                    tenant_id BIGINT NOT NULL, client_id TEXT NOT NULL, last_mutation_id BIGINT NOT NULL,
                    PRIMARY KEY (tenant_id, client_id))
                """,
                """
                CREATE TABLE mutation_outcomes (
                    tenant_id BIGINT NOT NULL, client_id TEXT NOT NULL, mutation_id BIGINT NOT NULL,
                    status TEXT NOT NULL, version BIGINT, error TEXT, created_at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (tenant_id, client_id, mutation_id))
                """,
                "CREATE INDEX mutation_outcomes_created ON mutation_outcomes(created_at)",
                """
                CREATE TABLE conflicts (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL,
                    entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL, rule TEXT NOT NULL,
                    winner TEXT NOT NULL, writes TEXT NOT NULL, resolved BOOLEAN NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL, resolved_at DOUBLE PRECISION)
                """,
                "CREATE UNIQUE INDEX conflicts_open ON conflicts(tenant_id, entity_id, field) WHERE NOT resolved",
                "CREATE INDEX conflicts_list ON conflicts(tenant_id, resolved, seq)",
                """
                CREATE TABLE templates (
                    tenant_id BIGINT NOT NULL, id TEXT NOT NULL, version BIGINT NOT NULL, body TEXT NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (tenant_id, id, version))
                """,
                """
                CREATE TABLE attachments (
                    tenant_id BIGINT NOT NULL, sha256 TEXT NOT NULL, content_type TEXT NOT NULL,
                    size BIGINT NOT NULL, created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (tenant_id, sha256))
                """,
                // Attachment bytes, content-addressed and shared by tenants like the files on SQLite; a blob row
                // exists only once all its chunks are in.
                """
                CREATE TABLE attachment_blobs (sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL)
                """,
                """
                CREATE TABLE attachment_chunks (sha256 TEXT NOT NULL, n INTEGER NOT NULL, data BYTEA NOT NULL,
                    PRIMARY KEY (sha256, n))
                """,
            ]
        ),
        Migration(
            name: "v2-followups",
            statements: [
                """
                CREATE TABLE followups (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL,
                    item_id TEXT NOT NULL, inspection_id TEXT NOT NULL, vehicle_id TEXT NOT NULL,
                    code TEXT NOT NULL, state TEXT NOT NULL, due_date TEXT NOT NULL,
                    release_at DOUBLE PRECISION NOT NULL, released_at DOUBLE PRECISION, version BIGINT NOT NULL,
                    body TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)
                """,
                "CREATE UNIQUE INDEX followups_item ON followups(tenant_id, item_id)",
                "CREATE INDEX followups_due ON followups(release_at) WHERE state = 'scheduled'",
                "CREATE INDEX followups_vehicle ON followups(tenant_id, vehicle_id, code)",
                "CREATE INDEX followups_list ON followups(tenant_id, state, seq)",
                """
                CREATE TABLE events (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL,
                    position BIGINT NOT NULL, type TEXT NOT NULL, timestamp DOUBLE PRECISION NOT NULL,
                    body BYTEA NOT NULL)
                """,
                "CREATE UNIQUE INDEX events_position ON events(tenant_id, position)",
                "CREATE INDEX events_time ON events(tenant_id, timestamp)",
                """
                CREATE TABLE webhook_endpoints (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL,
                    url TEXT NOT NULL, events TEXT NOT NULL, description TEXT, enabled BOOLEAN NOT NULL,
                    disabled_reason TEXT, secret TEXT NOT NULL, previous_secret TEXT,
                    previous_secret_expires_at DOUBLE PRECISION, secret_rotated_at DOUBLE PRECISION,
                    failing_since DOUBLE PRECISION, deleted BOOLEAN NOT NULL DEFAULT FALSE,
                    created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)
                """,
                "CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints(tenant_id, deleted, seq)",
                """
                CREATE TABLE deliveries (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL,
                    endpoint_id TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
                    state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at DOUBLE PRECISION,
                    claimed_until DOUBLE PRECISION, last_attempt_at DOUBLE PRECISION, last_status_code INTEGER,
                    last_duration_ms INTEGER, last_response_body TEXT, last_error TEXT,
                    created_at DOUBLE PRECISION NOT NULL)
                """,
                "CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state = 'pending'",
                "CREATE INDEX deliveries_endpoint ON deliveries(endpoint_id, seq)",
                """
                CREATE TABLE delivery_attempts (
                    seq BIGSERIAL PRIMARY KEY, delivery_id TEXT NOT NULL, attempted_at DOUBLE PRECISION NOT NULL,
                    status_code INTEGER, duration_ms INTEGER NOT NULL, response_body TEXT, error TEXT)
                """,
                "CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery_id, seq)",
            ]
        ),
        // The highest HLC the server handed out, per tenant, written by every push (issue 11): a restart loads the
        // highest of them, so a clock that went back never stamps below what is stored.
        Migration(
            name: "v3-server-hlc",
            statements: [
                """
                ALTER TABLE tenants ADD COLUMN hlc_wall BIGINT NOT NULL DEFAULT 0,
                    ADD COLUMN hlc_counter BIGINT NOT NULL DEFAULT 0
                """
            ]
        ),
        // Review links and web sessions (DESIGN section 13): a link is found by its token's hash from any tenant,
        // a session by its cookie's hash.
        Migration(
            name: "v4-reviews",
            statements: [
                """
                CREATE TABLE review_links (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL,
                    inspection_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL,
                    opened_at DOUBLE PRECISION, completed_at DOUBLE PRECISION, revoked_at DOUBLE PRECISION)
                """,
                "CREATE INDEX review_links_inspection ON review_links(tenant_id, inspection_id, seq)",
                """
                CREATE TABLE web_sessions (
                    id_hash TEXT PRIMARY KEY, tenant_id BIGINT NOT NULL, purpose TEXT NOT NULL, subject TEXT NOT NULL,
                    csrf TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL)
                """,
                "CREATE INDEX web_sessions_expiry ON web_sessions(expires_at)",
            ]
        ),
        // Odometer readings the CRM reports (DESIGN section 6, the call round; inspections keep theirs in their rows),
        // and the plans that pay for a vehicle's work (cover).
        Migration(
            name: "v5-call-round",
            statements: [
                """
                CREATE TABLE odometer_readings (
                    seq BIGSERIAL PRIMARY KEY, tenant_id BIGINT NOT NULL, vehicle_id TEXT NOT NULL,
                    value BIGINT NOT NULL, read_at DOUBLE PRECISION NOT NULL, source TEXT NOT NULL, followup_id TEXT,
                    created_at DOUBLE PRECISION NOT NULL)
                """,
                "CREATE INDEX odometer_readings_vehicle ON odometer_readings(tenant_id, vehicle_id, read_at)",
                "ALTER TABLE followups ADD COLUMN amount BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE followups ADD COLUMN covered BOOLEAN NOT NULL DEFAULT false",
                "ALTER TABLE followups ADD COLUMN reason TEXT",
                """
                UPDATE followups SET amount = coalesce((body::jsonb -> 'estimatedCost' ->> 'amount')::bigint, 0),
                    covered = coalesce(jsonb_typeof(body::jsonb -> 'coverage') = 'object', false),
                    reason = body::jsonb -> 'outcome' ->> 'reason'
                """,
                "CREATE INDEX followups_due_date ON followups(tenant_id, due_date)",
                """
                CREATE INDEX followups_release ON followups(tenant_id, release_at)
                    INCLUDE (state, released_at, amount, covered, reason)
                """,
                """
                CREATE TABLE coverage_plans (
                    tenant_id BIGINT NOT NULL, vehicle_id TEXT NOT NULL, plans TEXT NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (tenant_id, vehicle_id))
                """,
            ]
        ),
    ]

    /// Applies the migrations this database lacks, each in its own transaction, under a session advisory lock.
    static func migrate(_ store: PostgresSyncStore) async throws {
        let logger = store.logger
        try await store.withConnection(timeout: store.options.connectTimeout) { connection in
            try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            do {
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)
                    """,
                    logger: logger
                )
                var applied = Set<String>()
                for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: logger)
                    .decode(String.self)
                {
                    applied.insert(name)
                }
                for migration in migrations where !applied.contains(migration.name) {
                    try await connection.query("BEGIN", logger: logger)
                    do {
                        for statement in migration.statements {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        let now = Date().timeIntervalSince1970
                        try await connection.query(
                            "INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), \(now))",
                            logger: logger
                        )
                        try await connection.query("COMMIT", logger: logger)
                        logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
        }
    }
}
