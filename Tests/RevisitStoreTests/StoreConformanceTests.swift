import Foundation
import RevisitModel
import RevisitStore
import Testing

/// Every store-level rule, run against every backend in ``StoreBackend/all``.
@Suite("Store conformance")
struct StoreConformanceTests {
    static func customer(
        _ id: Int64,
        _ entityId: String = UUID().uuidString,
        name: String = "A",
        base: Int64 = 0,
        op: MutationOp = .upsert
    ) -> IncomingMutation {
        IncomingMutation(
            id: id,
            entity: "customer",
            entityId: entityId,
            op: op,
            baseVersion: base,
            hlc: HLC(wall: 1_764_000_000_000 + id, counter: 0),
            fields: op == .upsert ? ["name": .string(name)] : [:]
        )
    }

    static func withStore(
        _ backend: StoreBackend,
        _ body: (any SyncStore, TestWallClock) async throws -> Void
    )
        async throws
    {
        let clock = TestWallClock()
        let (store, cleanUp) = try await backend.make(clock)
        do {
            try await body(store, clock)
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    @Test(
        "tokens authenticate until revoked; malformed, forged and other tenants' tokens do not",
        arguments: StoreBackend.all
    )
    func tokens(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, _ in
            let (record, secret) = try await store.createToken(tenantSlug: "Acme", role: .admin, name: "desk")
            #expect(record.tenantSlug == "acme")
            let principal = try #require(try await store.authenticate(token: secret))
            #expect(principal.role == .admin && principal.tenantSlug == "acme")
            #expect(try await store.authenticate(token: secret + "x") == nil)
            #expect(try await store.authenticate(token: "rvt_\(record.id)_forged") == nil)
            #expect(try await store.authenticate(token: "") == nil)
            let (other, _) = try await store.createToken(tenantSlug: "other", role: .device, name: nil)
            #expect(try await store.revokeToken(tenantId: principal.tenantId, id: other.id) == false)
            #expect(try await store.revokeToken(tenantId: principal.tenantId, id: record.id))
            #expect(try await store.authenticate(token: secret) == nil)
            await #expect(throws: StoreError.validation("")) {
                try await store.createToken(tenantSlug: "no spaces", role: .device, name: nil)
            }
            let page = try await store.tokens(tenantId: principal.tenantId, cursor: nil, limit: 10)
            #expect(page.items.count == 1 && page.items[0].revokedAt != nil && page.nextCursor == nil)
        }
    }

    @Test("versions increase strictly in commit order; a gap rolls back the whole push", arguments: StoreBackend.all)
    func versionsAndGaps(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, _ in
            let tenant = try await store.createToken(tenantSlug: "acme", role: .device, name: nil).0
            let tenantId = try #require(
                try await store.authenticate(
                    token: try await store.createToken(
                        tenantSlug: tenant.tenantSlug,
                        role: .device,
                        name: nil
                    ).1
                )
            ).tenantId
            let first = try await store.push(
                tenantId: tenantId,
                clientId: "a",
                mutations: (1...3).map { Self.customer($0) }
            )
            #expect(first.results.compactMap(\.version) == [1, 2, 3])
            let second = try await store.push(tenantId: tenantId, clientId: "b", mutations: [Self.customer(1)])
            #expect(second.results.first?.version == 4)
            await #expect(throws: StoreError.mutationGap(expected: 4, got: 5)) {
                try await store.push(
                    tenantId: tenantId,
                    clientId: "a",
                    mutations: [Self.customer(4), Self.customer(6)]
                )
            }
            let pull = try await store.pull(tenantId: tenantId, since: nil, limit: 100)
            #expect(pull.changes.map(\.version) == [1, 2, 3, 4] && pull.cursor == "4")
            let duplicate = try await store.push(tenantId: tenantId, clientId: "a", mutations: [Self.customer(2)])
            #expect(duplicate.results.first?.status == .duplicate && duplicate.results.first?.original == .applied)
            #expect(duplicate.lastMutationId == 3)
        }
    }

    @Test("pull pages follow the cursor, each row once in its latest state", arguments: StoreBackend.all)
    func pullPaging(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, _ in
            let secret = try await store.createToken(tenantSlug: "acme", role: .device, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            let ids = (0..<5).map { _ in UUID().uuidString.lowercased() }
            _ = try await store.push(
                tenantId: tenantId,
                clientId: "a",
                mutations: ids.enumerated().map { Self.customer(Int64($0.offset + 1), $0.element) }
            )
            _ = try await store.push(
                tenantId: tenantId,
                clientId: "a",
                mutations: [Self.customer(6, ids[0], name: "B", base: 1)]
            )
            var cursor: String?
            var seen: [String] = []
            repeat {
                let page = try await store.pull(tenantId: tenantId, since: cursor, limit: 2)
                seen += page.changes.map(\.entityId)
                cursor = page.cursor
                if !page.hasMore { break }
            } while true
            #expect(seen == Array(ids.dropFirst()) + [ids[0]])
            await #expect(throws: StoreError.malformed("")) {
                try await store.pull(tenantId: tenantId, since: "-1", limit: 2)
            }
            await #expect(throws: StoreError.cursorExpired("")) {
                try await store.pull(tenantId: tenantId, since: "7", limit: 2)
            }
        }
    }

    @Test(
        "the purge removes old tombstones and outcomes, expires older cursors, and keeps ids deleted",
        arguments: StoreBackend.all
    )
    func purge(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, clock in
            let secret = try await store.createToken(tenantSlug: "acme", role: .device, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            let id = UUID().uuidString.lowercased()
            _ = try await store.push(
                tenantId: tenantId,
                clientId: "a",
                mutations: [
                    Self.customer(1, id), Self.customer(2, id, base: 1, op: .delete), Self.customer(3),
                ]
            )
            #expect(try await store.purge(before: clock.now()) == 0, "nothing is older than now yet")
            clock.advance(by: 10)
            #expect(try await store.purge(before: clock.now()) == 1)
            await #expect(throws: StoreError.cursorExpired("")) {
                try await store.pull(tenantId: tenantId, since: "1", limit: 10)
            }
            #expect(try await store.pull(tenantId: tenantId, since: nil, limit: 10).changes.count == 1)
            let again = try await store.push(tenantId: tenantId, clientId: "b", mutations: [Self.customer(1, id)])
            #expect(again.results.first?.error?.type == "entity-deleted")
            let duplicate = try await store.push(tenantId: tenantId, clientId: "a", mutations: [Self.customer(1)])
            #expect(
                duplicate.results.first?.status == .duplicate && duplicate.results.first?.original == nil,
                "outcomes older than the horizon are gone"
            )
        }
    }

    @Test("templates version per tenant; attachments are recorded once per tenant", arguments: StoreBackend.all)
    func templatesAndAttachments(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, clock in
            let acme = try #require(
                try await store.authenticate(
                    token: try await store.createToken(tenantSlug: "acme", role: .admin, name: nil).1
                )
            ).tenantId
            let other = try #require(
                try await store.authenticate(
                    token: try await store.createToken(tenantSlug: "other", role: .admin, name: nil).1
                )
            ).tenantId
            let items = [TemplateItem(code: "lights", title: "Lights", category: "lights")]
            let v2 = try await store.putTemplate(tenantId: acme, id: "standard-car", name: "Ours", items: items)
            #expect(v2.version == 2)
            #expect(try await store.template(tenantId: acme, id: "standard-car", version: nil)?.version == 2)
            #expect(try await store.template(tenantId: acme, id: "standard-car", version: 1)?.items.count ?? 0 >= 22)
            #expect(try await store.template(tenantId: other, id: "standard-car", version: nil)?.version == 1)
            #expect(try await store.template(tenantId: other, id: "standard-car", version: 2) == nil)
            let record = AttachmentRecord(
                sha256: String(repeating: "a", count: 64),
                contentType: "image/png",
                size: 3,
                createdAt: clock.now()
            )
            #expect(try await store.recordAttachment(tenantId: acme, record))
            #expect(try await store.recordAttachment(tenantId: acme, record) == false)
            #expect(try await store.attachment(tenantId: other, sha256: record.sha256) == nil)
        }
    }
}

@Suite("Pull across a purge")
struct PullAfterPurgeTests {
    @Test(
        "a pull from scratch after a purge pages through and ends with a cursor the server accepts",
        arguments: StoreBackend.all
    )
    func scratchPullAfterPurge(_ backend: StoreBackend) async throws {
        try await StoreConformanceTests.withStore(backend) { store, clock in
            let secret = try await store.createToken(tenantSlug: "acme", role: .device, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            let live = (1...4).map { _ in UUID().uuidString.lowercased() }
            let doomed = UUID().uuidString.lowercased()
            var mutations = live.enumerated().map { StoreConformanceTests.customer(Int64($0.offset + 1), $0.element) }
            mutations.append(StoreConformanceTests.customer(5, doomed))
            mutations.append(StoreConformanceTests.customer(6, doomed, base: 5, op: .delete))
            _ = try await store.push(tenantId: tenantId, clientId: "a", mutations: mutations)
            clock.advance(by: 10)
            #expect(try await store.purge(before: clock.now()) == 1)
            var cursor: String?
            var seen: [String] = []
            while true {
                let page = try await store.pull(tenantId: tenantId, since: cursor, limit: 2)
                seen += page.changes.map(\.entityId)
                cursor = page.cursor
                if !page.hasMore { break }
            }
            #expect(seen == live)
            let after = try await store.pull(tenantId: tenantId, since: cursor, limit: 2)
            #expect(after.changes.isEmpty && after.cursor == "6", "the last page answers the tenant's version")
        }
    }
}
