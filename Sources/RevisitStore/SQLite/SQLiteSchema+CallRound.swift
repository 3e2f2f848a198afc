import GRDB

extension SQLiteSchema {
    /// Odometer readings that do not come from an inspection (DESIGN section 6, "The call round"): a customer's
    /// reading of the dashboard, reported by the CRM. Inspections keep theirs in their own rows. And the plans that
    /// pay for a vehicle's work ("Cover"), one list per vehicle. Follow-ups gain the columns the report sums and the
    /// indexes the call list (by due date) and the report (by release moment, covering what it sums, so it reads no
    /// row) are read by.
    static func registerCallRound(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-call-round") { db in
            try db.execute(
                sql: """
                    CREATE TABLE odometer_readings (
                        seq INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, vehicle_id TEXT NOT NULL,
                        value INTEGER NOT NULL, read_at REAL NOT NULL, source TEXT NOT NULL, followup_id TEXT,
                        created_at REAL NOT NULL);
                    CREATE INDEX odometer_readings_vehicle ON odometer_readings(tenant_id, vehicle_id, read_at);
                    ALTER TABLE followups ADD COLUMN amount INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE followups ADD COLUMN covered INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE followups ADD COLUMN reason TEXT;
                    UPDATE followups SET amount = coalesce(json_extract(body, '$.estimatedCost.amount'), 0),
                        covered = coalesce(json_type(body, '$.coverage') = 'object', 0),
                        reason = json_extract(body, '$.outcome.reason');
                    CREATE INDEX followups_due_date ON followups(tenant_id, due_date);
                    CREATE INDEX followups_release
                        ON followups(tenant_id, release_at, state, released_at, amount, covered, reason);
                    CREATE TABLE coverage_plans (
                        tenant_id INTEGER NOT NULL, vehicle_id TEXT NOT NULL, plans TEXT NOT NULL,
                        updated_at REAL NOT NULL, PRIMARY KEY (tenant_id, vehicle_id)) WITHOUT ROWID;
                    """
            )
        }
    }
}
