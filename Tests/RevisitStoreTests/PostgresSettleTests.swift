import Foundation
import Logging
import RevisitModel
import RevisitTestSupport
import Synchronization
import Testing

@testable import RevisitStore

/// A PostgreSQL change whose rules never stop asking for rows is a bug: it must say so (a distinct error, logged),
/// not pose as an outage (503 `unavailable`).
@Suite("PostgreSQL rules that never settle")
struct PostgresSettleTests {
    @Test("rules that miss on every run end with RulesDidNotSettle after the last run, not StoreError.unavailable")
    func neverSettles() async throws {
        guard TestPostgres.serverURL != nil else { return }
        let (url, drop) = try await TestPostgres.freshDatabase()
        var options = try PostgresOptions(url: url)
        options.connectTimeout = .seconds(10)
        options.poolSize = 2
        let clock = TestWallClock()
        let store = try await PostgresSyncStore.connect(options: options, clock: clock, hlc: ServerHLC(clock: clock))
        do {
            let secret = try await store.createToken(tenantSlug: "acme", role: .admin, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            let now = clock.now()
            let logger = Logger(label: "test")
            let runs = Mutex(0)
            let error = await #expect(throws: RulesDidNotSettle.self) {
                try await store.transaction { connection in
                    let context = try await PostgresTenantContext.lock(
                        tenantId: tenantId,
                        now: now,
                        connection: connection,
                        logger: logger
                    )
                    return try await context.settle(connection: connection, logger: logger) { context in
                        runs.withLock { $0 += 1 }
                        // A new row on every run: the fetch never catches up.
                        return try context.row(id: UUID().uuidString.lowercased()) != nil
                    }
                }
            }
            #expect(runs.withLock { $0 } == PostgresTenantContext.maxRuns)
            #expect(error?.misses == "rows=1")
            #expect(try await store.settings(tenantId: tenantId) == TenantSettings(), "the store still answers")
        } catch {
            store.close()
            await drop()
            throw error
        }
        store.close()
        await drop()
    }
}
