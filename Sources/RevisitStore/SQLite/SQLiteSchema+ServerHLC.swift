import GRDB
import RevisitModel

extension SQLiteSchema {
    /// The highest HLC the server handed out, per tenant, written by every push (issue 11): a restart loads the
    /// highest of them, so a clock that went back never stamps below what is stored.
    static func registerServerHLC(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-server-hlc") { db in
            try db.execute(
                sql: """
                    ALTER TABLE tenants ADD COLUMN hlc_wall INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE tenants ADD COLUMN hlc_counter INTEGER NOT NULL DEFAULT 0;
                    """
            )
        }
    }

    /// The highest HLC any push stored.
    static func storedHLC(_ db: Database) throws -> HLC? {
        try Row.fetchOne(
            db,
            sql: "SELECT hlc_wall, hlc_counter FROM tenants ORDER BY hlc_wall DESC, hlc_counter DESC LIMIT 1"
        ).map { HLC(wall: $0["hlc_wall"], counter: $0["hlc_counter"]) }
    }
}
