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

    var testDescription: String { name }

    static let sqlite = StoreBackend(name: "SQLite") { clock in
        let directory = FileManager.default.temporaryDirectory.appending(path: "revisit-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteSyncStore(
            path: directory.appending(path: "store.sqlite").path,
            clock: clock,
            hlc: ServerHLC(clock: clock)
        )
        return (store, { try? FileManager.default.removeItem(at: directory) })
    }

    static let postgres = StoreBackend(name: "PostgreSQL") { clock in
        let (url, drop) = try await TestPostgres.freshDatabase()
        var options = try PostgresOptions(url: url)
        options.connectTimeout = .seconds(10)
        options.poolSize = 4
        let store = try await PostgresSyncStore.connect(options: options, clock: clock, hlc: ServerHLC(clock: clock))
        return (
            store,
            {
                store.close()
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
