import Foundation
import Logging
import RevisitModel
import RevisitTestSupport
import Synchronization
import Testing

@testable import RevisitStore

/// A fresh PostgreSQL database with one store (pool of 2) and a tenant; the store is closed and the database dropped
/// afterwards, also when `body` fails. Without a PostgreSQL server for the tests, `body` does not run.
private func withFreshTenant(
    _ body: (PostgresSyncStore, Int64, TestWallClock) async throws -> Void
) async throws {
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
        try await body(store, tenantId, clock)
    } catch {
        store.close()
        await drop()
        throw error
    }
    store.close()
    await drop()
}

/// A PostgreSQL change whose rules never stop asking for rows is a bug: it must say so (a distinct error, logged),
/// not pose as an outage (503 `unavailable`).
@Suite("PostgreSQL rules that never settle")
struct PostgresSettleTests {
    @Test("rules that miss on every run end with RulesDidNotSettle after the last run, not StoreError.unavailable")
    func neverSettles() async throws {
        try await withFreshTenant { store, tenantId, clock async throws in
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
        }
    }
}

/// A push loads the reads its batch declares and runs the rules once on that snapshot; a run again means the
/// declaration missed something (still correct, but a run and a round trip wasted).
@Suite("PostgreSQL pushes run their rules once")
struct PostgresDeclaredReadsTests {
    /// Mutations for one client, numbered from 1 across calls.
    struct Batch {
        var next: Int64 = 1

        mutating func make(
            _ entity: String,
            _ entityId: String,
            _ fields: [String: JSONValue],
            op: MutationOp = .upsert,
            base: Int64 = 0
        ) -> IncomingMutation {
            defer { next += 1 }
            return IncomingMutation(
                id: next,
                entity: entity,
                entityId: entityId,
                op: op,
                baseVersion: base,
                hlc: HLC(wall: 1_764_000_000_000 + next, counter: 0),
                fields: fields
            )
        }
    }

    @Test("a whole inspection, its repeat, an inspection in steps, a conflict and deletes each run the rules once")
    func declaredReadsAreComplete() async throws {
        try await withFreshTenant { store, tenantId, clock async throws in
            func push(_ client: String, _ mutations: [IncomingMutation], _ what: String) async throws -> PushResult {
                let (result, runs) = try await store.pushCountingRuns(
                    tenantId: tenantId,
                    clientId: client,
                    mutations: mutations
                )
                #expect(runs == 1, "\(what): the rules ran \(runs) times")
                return result
            }

            let whole = StoreConcurrencyTests.closedInspection(firstId: 1, now: clock.now())
            let first = try await push("tablet", whole, "a whole inspection closed in one push")
            #expect(first.results.allSatisfy { $0.status == .applied })
            let repeated = try await push("tablet", whole, "the same push again")
            #expect(repeated.results.allSatisfy { $0.status == .duplicate })

            // A second inspection of a new car, pushed in steps by another tablet; some items fulfil nothing, some
            // are deferred, and closing it makes follow-ups that read the vehicle's readings and open follow-ups.
            var batch = Batch()
            let customer = UUID().uuidString.lowercased()
            let vehicle = UUID().uuidString.lowercased()
            let inspection = UUID()
            let inspectionId = inspection.uuidString.lowercased()
            _ = try await push(
                "steps",
                [
                    batch.make("customer", customer, ["name": "A. Jansen"]),
                    batch.make("vehicle", vehicle, ["plate": "XY-987-Z", "customerId": .string(customer)]),
                    batch.make(
                        "inspection",
                        inspectionId,
                        ["vehicleId": .string(vehicle), "odometer": 40100, "state": "in_progress"]
                    ),
                ],
                "the references and a new inspection"
            )
            let codes = BuiltInTemplates.standardCar.items.map(\.code).prefix(6)
            let items = codes.enumerated().map { index, code in
                batch.make(
                    "item",
                    DerivedID.item(inspectionId: inspection, code: code).uuidString.lowercased(),
                    [
                        "inspectionId": .string(inspectionId), "code": .string(code),
                        "status": index.isMultiple(of: 2) ? "ok" : "later", "remainingKm": 5000,
                    ]
                )
            }
            _ = try await push("steps", items, "items of an existing inspection")
            _ = try await push("steps", [batch.make("inspection", inspectionId, ["state": "completed"])], "complete")
            let closed = try await push(
                "steps",
                [batch.make("inspection", inspectionId, ["state": "closed"], base: 1)],
                "close, making follow-ups"
            )
            #expect(closed.results.first?.status == .applied)

            // Two tablets edit the same field of a customer without seeing each other: a conflict, then a write
            // that saw both ends it.
            var left = Batch()
            var right = Batch()
            let name = UUID().uuidString.lowercased()
            _ = try await push("left", [left.make("customer", name, ["name": "K. Bakker"])], "a new customer")
            _ = try await push("left", [left.make("customer", name, ["phone": "+31 6 1"], base: 1)], "an edit")
            let conflicting = try await push(
                "right",
                [right.make("customer", name, ["phone": "+31 6 2"], base: 1)],
                "a concurrent edit"
            )
            #expect(conflicting.results.first?.conflicts.isEmpty == false)
            let version = try #require(conflicting.results.first?.version)
            _ = try await push(
                "left",
                [left.make("customer", name, ["phone": "+31 6 3"], base: version)],
                "a write that ends the conflict"
            )

            // Deletes: a vehicle still referenced is refused; a draft inspection takes its items with it.
            let draft = UUID()
            let draftId = draft.uuidString.lowercased()
            let refused = try await push(
                "steps",
                [
                    batch.make("vehicle", vehicle, [:], op: .delete),
                    batch.make("inspection", draftId, ["vehicleId": .string(vehicle)]),
                    batch.make(
                        "item",
                        DerivedID.item(inspectionId: draft, code: codes[0]).uuidString.lowercased(),
                        ["inspectionId": .string(draftId), "code": .string(codes[0]), "status": "now"]
                    ),
                ],
                "a referenced vehicle's delete and a draft inspection"
            )
            #expect(refused.results.first?.status == .rejected)
            let deleted = try await push(
                "steps",
                [batch.make("inspection", draftId, [:], op: .delete)],
                "a draft inspection deleted"
            )
            #expect(deleted.results.first?.status == .applied)
        }
    }

    @Test("a writer tells its own instance's waiters its new version when it commits, without LISTEN")
    func ownCommitsAreToldAtOnce() async throws {
        try await withFreshTenant { store, tenantId, _ async throws in
            // Only the store's own feed, not `changeSignals()`: no listener is running.
            let own = store.commits.signals()
            let result = try await store.push(
                tenantId: tenantId,
                clientId: "tab",
                mutations: [StoreConformanceTests.customer(1)]
            )
            let version = try #require(result.results.first?.version)
            var iterator = own.makeAsyncIterator()
            #expect(await iterator.next() == .committed(tenantId: tenantId, version: version))
            // A write that moves no version tells nothing.
            _ = try await store.updateSettings(tenantId: tenantId, patch: ["workshopName": "Quiet"])
            _ = try await store.push(
                tenantId: tenantId,
                clientId: "tab",
                mutations: [StoreConformanceTests.customer(2)]
            )
            #expect(await iterator.next() == .committed(tenantId: tenantId, version: version + 1))
        }
    }
}
