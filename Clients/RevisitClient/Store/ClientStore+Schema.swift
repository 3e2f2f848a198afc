import Foundation
import GRDB

extension ClientStore {
    /// The store's migrations: append-only, string table and column names, never edited once shipped.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // Store-wide state in one row. `client_id` is random per store and never reused (DESIGN section 4).
            try db.execute(
                sql: """
                    CREATE TABLE client_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        client_id TEXT NOT NULL,
                        server_url TEXT,
                        token TEXT,
                        cursor TEXT,
                        hlc_wall INTEGER NOT NULL DEFAULT 0,
                        hlc_counter INTEGER NOT NULL DEFAULT 0,
                        next_mutation_id INTEGER NOT NULL DEFAULT 1,
                        last_sync TEXT,
                        currency TEXT NOT NULL DEFAULT 'EUR',
                        mechanic TEXT
                    )
                    """
            )
            try db.execute(
                sql: "INSERT INTO client_state (id, client_id) VALUES (1, ?)",
                arguments: [UUID().uuidString.lowercased()]
            )

            // The server's rows as last pulled. `field_versions` holds, for fields that last changed before the
            // row's `version`, the version at which they did (the rest changed at `version`): with the values it
            // is the merge state the client can know (see ServerRow).
            try db.execute(
                sql: """
                    CREATE TABLE server_rows (
                        id TEXT PRIMARY KEY,
                        entity TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        deleted INTEGER NOT NULL,
                        fields TEXT NOT NULL,
                        field_versions TEXT,
                        inspection_id TEXT,
                        plate_key TEXT,
                        vin TEXT
                    )
                    """
            )
            try db.execute(sql: "CREATE INDEX server_rows_inspection ON server_rows (inspection_id)")
            try db.execute(sql: "CREATE INDEX server_rows_listed ON server_rows (entity) WHERE entity <> 'item'")
            try db.execute(sql: "CREATE INDEX server_rows_plate ON server_rows (plate_key) WHERE plate_key IS NOT NULL")
            try db.execute(sql: "CREATE INDEX server_rows_vin ON server_rows (vin) WHERE vin IS NOT NULL")

            // Pending mutations, in id order; the ids are exactly the ones pushed.
            try db.execute(
                sql: """
                    CREATE TABLE mutations (
                        id INTEGER PRIMARY KEY,
                        entity TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        op TEXT NOT NULL,
                        base_version INTEGER NOT NULL,
                        hlc_wall INTEGER NOT NULL,
                        hlc_counter INTEGER NOT NULL,
                        fields TEXT NOT NULL,
                        inspection_id TEXT,
                        created_at TEXT NOT NULL
                    )
                    """
            )
            try db.execute(sql: "CREATE INDEX mutations_entity ON mutations (entity_id)")
            try db.execute(sql: "CREATE INDEX mutations_inspection ON mutations (inspection_id)")

            // Mutations the server rejected, with its problem; apart from the queue, so that renumbering the
            // queue after a mutation gap never touches them.
            try db.execute(
                sql: """
                    CREATE TABLE rejected_mutations (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        mutation_id INTEGER NOT NULL,
                        entity TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        op TEXT NOT NULL,
                        fields TEXT NOT NULL,
                        problem TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        rejected_at TEXT NOT NULL
                    )
                    """
            )

            try db.execute(
                sql: """
                    CREATE TABLE conflicts (
                        id TEXT PRIMARY KEY,
                        entity TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        field TEXT NOT NULL,
                        rule TEXT NOT NULL,
                        winner TEXT NOT NULL,
                        writes TEXT NOT NULL,
                        resolved INTEGER NOT NULL,
                        created_at TEXT NOT NULL
                    )
                    """
            )

            try db.execute(
                sql: """
                    CREATE TABLE templates (
                        id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        body TEXT NOT NULL,
                        PRIMARY KEY (id, version)
                    )
                    """
            )

            // Photos kept from the moment they are attached, so an offline edit never depends on a file that may
            // be gone by the time of the sync.
            try db.execute(
                sql: """
                    CREATE TABLE attachments (
                        sha256 TEXT PRIMARY KEY,
                        content_type TEXT NOT NULL,
                        bytes BLOB NOT NULL,
                        uploaded INTEGER NOT NULL DEFAULT 0, -- 0 to upload, 1 on the server, 2 refused
                        created_at TEXT NOT NULL
                    )
                    """
            )
        }
        return migrator
    }
}
