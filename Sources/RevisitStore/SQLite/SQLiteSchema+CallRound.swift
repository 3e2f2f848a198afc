import GRDB

extension SQLiteSchema {
    /// Odometer readings that do not come from an inspection (DESIGN section 6, "The call round"): a customer's
    /// reading of the dashboard, reported by the CRM. Inspections keep theirs in their own rows. And the plans that
    /// pay for a vehicle's work ("Cover"), one list per vehicle.
    static func registerCallRound(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-call-round") { db in
            try db.execute(
                sql: """
                    CREATE TABLE odometer_readings (
                        seq INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, vehicle_id TEXT NOT NULL,
                        value INTEGER NOT NULL, read_at REAL NOT NULL, source TEXT NOT NULL, followup_id TEXT,
                        created_at REAL NOT NULL);
                    CREATE INDEX odometer_readings_vehicle ON odometer_readings(tenant_id, vehicle_id, read_at);
                    CREATE TABLE coverage_plans (
                        tenant_id INTEGER NOT NULL, vehicle_id TEXT NOT NULL, plans TEXT NOT NULL,
                        updated_at REAL NOT NULL, PRIMARY KEY (tenant_id, vehicle_id)) WITHOUT ROWID;
                    """
            )
        }
    }
}
