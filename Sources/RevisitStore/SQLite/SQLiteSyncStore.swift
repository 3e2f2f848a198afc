import Foundation
import GRDB
import RevisitModel

/// The embedded store: one SQLite file in WAL mode through GRDB. SQLite has one writer at a time, so a push's
/// versions are taken and committed under that single write lock: commit order is version order (DESIGN 8).
public struct SQLiteSyncStore: SyncStore {
    let pool: DatabasePool
    let clock: any WallClock
    let hlc: ServerHLC
    /// This process's commits, for the server's waiting pulls and streams.
    let commits = CommitFeed()

    /// Opens (or creates) the database and migrates it.
    /// - Parameters:
    ///   - path: the SQLite file; its folder must exist.
    ///   - clock: the time source for stamps and horizons.
    ///   - hlc: the server's hybrid logical clock, shared with the HTTP layer.
    public init(path: String, clock: any WallClock, hlc: ServerHLC) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL: an acknowledged push is on disk before its answer leaves, even if the machine loses power.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The writer walks the upper levels of every index on each push; with a million rows the default 2 MB
            // page cache keeps re-reading them. Readers keep the default: a pull reads one range.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -32768") }
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(pool)
        if let stored = try pool.read({ db in try SQLiteSchema.storedHLC(db) }) { hlc.restore(stored) }
        self.clock = clock
        self.hlc = hlc
    }

    public func changeSignals() -> AsyncStream<ChangeSignal> { commits.signals() }

    public func tenantStamp(tenantId: Int64) async throws -> TenantStamp {
        try await pool.read { db in try Self.tenantStamp(db, tenantId: tenantId) }
    }

    static func tenantStamp(_ db: Database, tenantId: Int64) throws -> TenantStamp {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT version, settings FROM tenants WHERE id = ?",
                arguments: [tenantId]
            )
        else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
        return TenantStamp(version: row["version"], settingsText: row["settings"])
    }

    public func currentVersion(tenantId: Int64) async throws -> Int64 {
        try await tenantStamp(tenantId: tenantId).version
    }

    public func checkReady() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func push(tenantId: Int64, clientId: String, mutations: [IncomingMutation]) async throws -> PushResult {
        let now = clock.now()
        let hlc = self.hlc
        return try await pool.write { db in
            let context = try SQLitePushContext(db: db, tenantId: tenantId, now: now, feed: commits)
            var engine = PushEngine(context: context, clientId: clientId, stamps: hlc.begin(stored: context.storedHLC))
            let result = try engine.run(mutations)
            try engine.context.commitVersion(highest: engine.stamps.highest)
            hlc.commit(engine.stamps)
            return result
        }
    }
}
