import Foundation
import RevisitModel
import RevisitStore
import RevisitTestSupport
import Testing

/// A backend the conformance suite runs against: SQLite always, PostgreSQL when `REVISIT_TEST_DATABASE_URL` is set
/// (``StoreBackendTests`` says so visibly when it is not).
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (TestWallClock) async throws -> (any SyncStore, @Sendable () async -> Void)
    /// Two handles on one database, as two server instances have them (SQLite: one process owns the file, so the
    /// same store twice).
    let makePair: @Sendable (TestWallClock) async throws -> ([any SyncStore], @Sendable () async -> Void)
    /// Where this backend keeps attachment bytes.
    let blobs: @Sendable (any SyncStore, URL) throws -> any AttachmentBlobs

    var testDescription: String { name }

    static let sqlite = StoreBackend(name: "SQLite") { clock in
        try openSQLite(clock: clock)
    } makePair: { clock in
        let (store, cleanUp) = try openSQLite(clock: clock)
        return ([store, store], cleanUp)
    } blobs: { _, folder in
        try FileAttachmentBlobs(root: folder)
    }

    static let postgres = StoreBackend(name: "PostgreSQL") { clock in
        let (stores, cleanUp) = try await openPostgres(count: 1, clock: clock)
        return (stores[0], cleanUp)
    } makePair: { clock in
        try await openPostgres(count: 2, clock: clock)
    } blobs: { store, folder in
        try PostgresAttachmentBlobs(store: try #require(store as? PostgresSyncStore), temporaryFolder: folder)
    }

    private static func openSQLite(clock: TestWallClock) throws -> (any SyncStore, @Sendable () async -> Void) {
        let directory = FileManager.default.temporaryDirectory.appending(path: "revisit-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteSyncStore(
            path: directory.appending(path: "store.sqlite").path,
            clock: clock,
            hlc: ServerHLC(clock: clock)
        )
        return (store, { try? FileManager.default.removeItem(at: directory) })
    }

    /// `count` stores on one fresh database, each with its own pool and HLC, as separate instances.
    private static func openPostgres(
        count: Int,
        clock: TestWallClock
    ) async throws -> ([any SyncStore], @Sendable () async -> Void) {
        let (url, drop) = try await TestPostgres.freshDatabase()
        var options = try PostgresOptions(url: url)
        options.connectTimeout = .seconds(10)
        options.poolSize = 4
        var stores: [PostgresSyncStore] = []
        for _ in 0..<count {
            stores.append(
                try await PostgresSyncStore.connect(options: options, clock: clock, hlc: ServerHLC(clock: clock))
            )
        }
        let opened = stores
        return (
            opened,
            {
                for store in opened { store.close() }
                await drop()
            }
        )
    }

    static let all: [StoreBackend] = TestPostgres.serverURL == nil ? [.sqlite] : [.sqlite, .postgres]
}

@Suite("Store backends")
struct StoreBackendTests {
    @Test("PostgreSQL is configured for the conformance suite (skipped with a message when it is not; fails in CI)")
    func postgresConfigured() throws {
        try TestPostgres.requireConfigured()
        #expect(StoreBackend.all.contains { $0.name == "PostgreSQL" })
    }
}
