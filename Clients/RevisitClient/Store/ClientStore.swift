import Foundation
import GRDB
import RevisitModel

/// The local SQLite database of one client store (one tablet, or one `--store` of the CLI): the server rows it
/// has pulled, the queue of pending mutations, rejected mutations with the server's problem, conflicts, cached
/// templates, photos waiting to be uploaded, and the store's identity and clocks.
///
/// One `struct` owns the `DatabasePool` and exposes writes named by intent, as GRDB's demo apps do. WAL mode lets
/// a sync write while a reader shows an inspection, and several processes (two CLI invocations) share one file:
/// every state change that must survive a crash (the next mutation id, the HLC, the cursor) is written in the same
/// transaction as the change it belongs to.
struct ClientStore: Sendable {
    let pool: DatabasePool

    /// Opens (and creates, with file mode 0600 because it holds the token) the store at `path`.
    init(path: String) throws {
        let url = URL(filePath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        if !FileManager.default.fileExists(atPath: path) {
            // SQLite gives the -wal and -shm files the permissions of the database file.
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw RevisitClientError(.invalidValue, "cannot create the store at \(path)") }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "revisit-client"
        pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB's WAL default is NORMAL, whose last commits a power cut may undo. An edit is the mechanic's work,
        // kept only here until the next sync: the writer waits for the disk (pulled pages relax it, see +Pull).
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try Self.migrator.migrate(pool)
    }

    /// Makes the store file readable by its owner only again (a copied store may have lost its mode).
    func restrictPermissions() throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: pool.path + suffix) {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pool.path + suffix)
        }
    }

    // MARK: Identity, login and clocks

    /// The single row of store-wide state.
    func state() throws -> StoreState {
        try pool.read { db in try StoreState.fetch(db) }
    }

    /// Records the server and token. Another server or token than before may mean another tenant, whose versions
    /// the old cursor does not describe (a pull could skip rows), and whose attachments are its own: the copy of
    /// server rows, the cursor, conflicts and templates are dropped and photos marked for upload again. Pending and
    /// rejected mutations stay; pending ones go to the new server (renumbered if it expects other ids).
    func saveLogin(serverURL: URL, token: String, currency: String?, mechanic: String?) throws {
        try pool.write { db in
            let previous = try StoreState.fetch(db)
            if previous.serverURL != nil, previous.serverURL != serverURL || previous.token != token {
                try ClientStore.dropServerCopy(db)
                try db.execute(sql: "DELETE FROM conflicts")
                try db.execute(sql: "DELETE FROM templates")
                try db.execute(sql: "UPDATE attachments SET uploaded = 0")
            }
            try db.execute(
                sql: """
                    UPDATE client_state SET server_url = ?, token = ?, currency = coalesce(?, currency),
                    mechanic = coalesce(?, mechanic) WHERE id = 1
                    """,
                arguments: [serverURL.absoluteString, token, currency?.uppercased(), mechanic]
            )
        }
        try restrictPermissions()
    }

    /// Applies the HLC receive rule to a clock reading from the server, so the next edit orders after it.
    static func receive(_ remote: HLC, physicalMillis: Int64, _ db: Database) throws {
        var clock = HybridLogicalClock(last: try StoreState.fetch(db).hlc)
        let next = clock.receive(remote, physicalMillis: physicalMillis)
        try db.execute(
            sql: "UPDATE client_state SET hlc_wall = ?, hlc_counter = ? WHERE id = 1",
            arguments: [next.wall, next.counter]
        )
    }

    func markSynced(at date: Date) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE client_state SET last_sync = ? WHERE id = 1",
                arguments: [RFC3339DateTime.string(from: date)]
            )
        }
    }

    /// Forgets every server row and the cursor (after a 410, or a login to another server); the queue of pending
    /// and rejected mutations is left alone.
    static func dropServerCopy(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM server_rows")
        try db.execute(sql: "UPDATE client_state SET cursor = NULL WHERE id = 1")
    }
}

/// The store-wide state: one row.
struct StoreState: Sendable {
    var clientId: String
    var serverURL: URL?
    var token: String?
    var cursor: String?
    var hlc: HLC
    var nextMutationId: Int64
    var lastSync: Date?
    var currency: String
    var mechanic: String?

    static func fetch(_ db: Database) throws -> StoreState {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM client_state WHERE id = 1") else {
            throw RevisitClientError(.invalidValue, "the store has no state row; it is damaged")
        }
        return StoreState(
            clientId: row["client_id"],
            serverURL: (row["server_url"] as String?).flatMap(URL.init(string:)),
            token: row["token"],
            cursor: row["cursor"],
            hlc: HLC(wall: row["hlc_wall"], counter: row["hlc_counter"]),
            nextMutationId: row["next_mutation_id"],
            lastSync: (row["last_sync"] as String?).flatMap(RFC3339DateTime.date(from:)),
            currency: row["currency"],
            mechanic: row["mechanic"]
        )
    }
}
