import Foundation
import RevisitModel
import RevisitStore
import RevisitTestSupport
import Testing

/// The server's HLC survives a restart (issue 11): every push stores the highest HLC handed out, and a store that
/// opens continues from there, even when the wall clock went back in between.
extension StoreConformanceTests {
    /// Opens the same database again and again, each time with a fresh ``ServerHLC``, as a restarted server does.
    struct Reopener: Sendable {
        let open: @Sendable (TestWallClock, ServerHLC) async throws -> (any SyncStore, @Sendable () -> Void)
        let drop: @Sendable () async -> Void

        static func make(_ backend: StoreBackend) async throws -> Reopener {
            if backend.name == StoreBackend.sqlite.name {
                let folder = FileManager.default.temporaryDirectory.appending(path: "revisit-hlc-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let path = folder.appending(path: "store.sqlite").path
                return Reopener(
                    open: { clock, hlc in (try SQLiteSyncStore(path: path, clock: clock, hlc: hlc), {}) },
                    drop: { try? FileManager.default.removeItem(at: folder) }
                )
            }
            let (url, drop) = try await TestPostgres.freshDatabase()
            var options = try PostgresOptions(url: url)
            options.connectTimeout = .seconds(10)
            options.poolSize = 2
            let opened = options
            return Reopener(
                open: { clock, hlc in
                    let store = try await PostgresSyncStore.connect(options: opened, clock: clock, hlc: hlc)
                    return (store, { store.close() })
                },
                drop: drop
            )
        }
    }

    @Test(
        "a store reopened with its clock an hour back stamps above every HLC it handed out before",
        arguments: StoreBackend.all
    )
    func hlcSurvivesRestart(_ backend: StoreBackend) async throws {
        let reopener = try await Reopener.make(backend)
        do {
            let clock = TestWallClock()
            let first = ServerHLC(clock: clock)
            let (store, close) = try await reopener.open(clock, first)
            let secret = try await store.createToken(tenantSlug: "acme", role: .device, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            let customer = UUID().uuidString.lowercased()
            var edit = Self.customer(1, customer, name: "A")
            edit.hlc = HLC(wall: clock.nowMillis(), counter: 0)
            _ = try await store.push(tenantId: tenantId, clientId: "a", mutations: [edit])
            let before = first.highest
            #expect(before.wall >= clock.nowMillis())
            close()

            clock.advance(by: -3600)
            let second = ServerHLC(clock: clock)
            let (again, closeAgain) = try await reopener.open(clock, second)
            #expect(second.highest >= before, "the stored HLC is loaded when the store opens")
            // A write from a tablet whose clock is far ahead is stamped by the server: the stamp must stay above
            // everything handed out before the restart, though the wall clock is an hour behind it.
            var ahead = Self.customer(1, customer, name: "B")
            ahead.hlc = HLC(wall: clock.nowMillis() + 86_400_000, counter: 0)
            let result = try await again.push(tenantId: tenantId, clientId: "b", mutations: [ahead])
            #expect(result.results.first?.hlcClamped == true)
            let conflict = try #require(
                try await again.conflicts(tenantId: tenantId, resolved: false, entityId: nil, cursor: nil, limit: 10)
                    .items.first
            )
            let stamp = try #require(conflict.writes.first { $0.clientId == "b" }?.hlc)
            #expect(stamp > before, "\(stamp) is above \(before)")
            let afterSecond = second.highest
            #expect(second.now() > before)
            closeAgain()

            let third = ServerHLC(clock: clock)
            let (last, closeLast) = try await reopener.open(clock, third)
            #expect(third.highest >= afterSecond, "the second push stored the highest HLC it used")
            _ = last
            closeLast()
        } catch {
            await reopener.drop()
            throw error
        }
        await reopener.drop()
    }
}
