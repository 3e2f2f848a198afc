import Foundation
import RevisitModel
import RevisitStore
import Testing

/// The rules that matter once several instances share a database, run on every backend: with SQLite the two
/// handles are one store, with PostgreSQL two pools on one database.
@Suite("Store concurrency")
struct StoreConcurrencyTests {
    static func withPair(
        _ backend: StoreBackend,
        _ body: ([any SyncStore], Int64, TestWallClock) async throws -> Void
    ) async throws {
        let clock = TestWallClock()
        let (stores, cleanUp) = try await backend.makePair(clock)
        do {
            let secret = try await stores[0].createToken(tenantSlug: "acme", role: .admin, name: nil).1
            let tenantId = try #require(try await stores[0].authenticate(token: secret)).tenantId
            try await body(stores, tenantId, clock)
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    @Test("concurrent pushes through two handles take every version once, without gaps", arguments: StoreBackend.all)
    func concurrentVersions(_ backend: StoreBackend) async throws {
        try await Self.withPair(backend) { stores, tenantId, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        for batch in 0..<5 {
                            let mutations = (1...20).map {
                                StoreConformanceTests.customer(Int64(batch * 20 + $0))
                            }
                            let result = try await stores[(client + batch) % 2].push(
                                tenantId: tenantId,
                                clientId: "tablet-\(client)",
                                mutations: mutations
                            )
                            #expect(result.results.allSatisfy { $0.status == .applied })
                        }
                    }
                }
                try await group.waitForAll()
            }
            var versions: [Int64] = []
            var cursor: String?
            while true {
                let page = try await stores[1].pull(tenantId: tenantId, since: cursor, limit: 300)
                versions += page.changes.map(\.version)
                cursor = page.cursor
                if !page.hasMore { break }
            }
            #expect(versions == Array(1...800), "800 rows, versions 1…800 in order")
            #expect(cursor == "800")
        }
    }

    /// A closed inspection whose twenty items are all deferred to tomorrow: twenty follow-ups due at the close.
    static func closedInspection(firstId: Int64, now: Date) -> [IncomingMutation] {
        let customer = UUID().uuidString.lowercased()
        let vehicle = UUID().uuidString.lowercased()
        let inspection = UUID()
        let tomorrow = CalendarDate(now.addingTimeInterval(86400), in: .gmt).description
        var id = firstId
        func mutation(
            _ entity: String,
            _ entityId: String,
            _ fields: [String: JSONValue],
            base: Int64 = 0
        )
            -> IncomingMutation
        {
            defer { id += 1 }
            return IncomingMutation(
                id: id,
                entity: entity,
                entityId: entityId,
                op: .upsert,
                baseVersion: base,
                hlc: HLC(wall: 1_764_000_000_000 + id, counter: 0),
                fields: fields
            )
        }
        var mutations = [
            mutation("customer", customer, ["name": "J. de Vries"]),
            mutation("vehicle", vehicle, ["plate": "AB-123-C", "customerId": .string(customer), "kind": "customer"]),
            mutation(
                "inspection",
                inspection.uuidString.lowercased(),
                [
                    "vehicleId": .string(vehicle), "templateId": "standard-car", "odometer": 84210,
                    "state": "in_progress",
                ]
            ),
        ]
        let codes = BuiltInTemplates.all.first { $0.id == "standard-car" }!.items.map(\.code).prefix(20)
        for (index, code) in codes.enumerated() {
            mutations.append(
                mutation(
                    "item",
                    DerivedID.item(inspectionId: inspection, code: code).uuidString.lowercased(),
                    [
                        "inspectionId": .string(inspection.uuidString.lowercased()), "code": .string(code),
                        "status": "later", "dueDate": .string(tomorrow),
                        "estimatedCost": ["amount": .int(Int64(10_000 + 250 * index)), "currency": "EUR"],
                    ]
                )
            )
        }
        mutations.append(mutation("inspection", inspection.uuidString.lowercased(), ["state": "completed"]))
        mutations.append(mutation("inspection", inspection.uuidString.lowercased(), ["state": "closed"]))
        return mutations
    }

    @Test(
        "two schedulers releasing at once release each follow-up once; two workers never claim a delivery twice",
        arguments: StoreBackend.all
    )
    func releaseAndClaimOnce(_ backend: StoreBackend) async throws {
        try await Self.withPair(backend) { stores, tenantId, clock in
            _ = try await stores[0].createEndpoint(
                tenantId: tenantId,
                url: "http://127.0.0.1:9/hook",
                events: ["followup.released"],
                description: nil,
                secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            )
            var next: Int64 = 1
            for _ in 0..<10 {
                let mutations = Self.closedInspection(firstId: next, now: clock.now())
                next += Int64(mutations.count)
                let result = try await stores[0].push(tenantId: tenantId, clientId: "tablet", mutations: mutations)
                #expect(result.results.allSatisfy { $0.status == .applied }, "\(result.results.compactMap(\.error))")
            }
            let later = clock.now().addingTimeInterval(2 * 86400)
            let released = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in stores + stores {
                    group.addTask { try await store.releaseDueFollowups(now: later, limit: 60) }
                }
                return try await group.reduce(0, +)
            }
            let left = try await stores[1].releaseDueFollowups(now: later, limit: 1000)
            #expect(released + left == 200, "each of the 200 follow-ups released once")
            let states = try await stores[1].followupCounts()
            #expect(states["released"] == 200 && states["scheduled"] == nil)

            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for store in stores + stores {
                    group.addTask {
                        try await store.claimDeliveries(now: later, limit: 40, lease: 30).map(\.deliveryId)
                    }
                }
                return try await group.reduce([], +)
            }
            #expect(Set(claims).count == claims.count, "no delivery claimed twice while its lease runs")
            let rest = try await stores[0].claimDeliveries(now: later, limit: 1000, lease: 30)
            #expect(claims.count + rest.count == 200, "one delivery per released follow-up, all claimable")
            let afterLease = try await stores[1].claimDeliveries(
                now: later.addingTimeInterval(31),
                limit: 1000,
                lease: 30
            )
            #expect(afterLease.count == 200, "claims not reported back are taken again after their lease")
        }
    }

    @Test(
        "a statement that fails inside a push (text PostgreSQL cannot hold) leaves every pooled connection usable",
        arguments: StoreBackend.all
    )
    func failedPushLeavesPoolClean(_ backend: StoreBackend) async throws {
        try await Self.withPair(backend) { stores, tenantId, _ in
            for attempt in 0..<8 {
                do {
                    _ = try await stores[0].push(
                        tenantId: tenantId,
                        clientId: "bad\u{0}client-\(attempt)",
                        mutations: [StoreConformanceTests.customer(1)]
                    )
                } catch let error as StoreError {
                    #expect(error == .malformed(""), "a NUL is the caller's input: \(error)")
                }
            }
            // More calls than the pool has connections: each would fail if one was handed back mid-transaction.
            for id in 1...12 {
                let result = try await stores[0].push(
                    tenantId: tenantId,
                    clientId: "good",
                    mutations: [StoreConformanceTests.customer(Int64(id))]
                )
                #expect(result.results.first?.status == .applied)
                #expect(try await stores[0].tokens(tenantId: tenantId, cursor: nil, limit: 5).items.count == 1)
            }
        }
    }

    @Test("attachment bytes round-trip in chunks and are kept once", arguments: StoreBackend.all)
    func attachmentBlobs(_ backend: StoreBackend) async throws {
        let clock = TestWallClock()
        let (store, cleanUp) = try await backend.make(clock)
        let folder = FileManager.default.temporaryDirectory.appending(path: "blobs-\(UUID().uuidString)")
        do {
            let blobs = try backend.blobs(store, folder)
            var generator = SplitMix64(seed: 7)
            let bytes = (0..<700_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            #expect(try await blobs.exists(sha) == false)
            for _ in 0..<2 {
                let temporary = blobs.temporaryURL()
                try Data(bytes).write(to: temporary)
                try await blobs.commit(temporary: temporary, sha256: sha)
            }
            #expect(try await blobs.exists(sha))
            var read: [UInt8] = []
            var chunks = 0
            for try await chunk in blobs.chunks(sha) {
                read += chunk
                chunks += 1
            }
            #expect(read == bytes, "the same bytes back")
            #expect(chunks > 1, "streamed in chunks, not whole")
        } catch {
            await cleanUp()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        await cleanUp()
        try? FileManager.default.removeItem(at: folder)
    }
}
