import Foundation
import RevisitModel
import RevisitStore
import Testing

/// Conflicts (DESIGN section 5) on every backend: recorded when writes that did not see each other disagree, ended
/// by a write that has seen them all or by a person's choice, already ended when a final state came first; and a
/// delete wins over a concurrent edit.
extension StoreConformanceTests {
    static func edit(
        _ id: Int64,
        _ entityId: String,
        name: String,
        base: Int64,
        wall: Int64,
        op: MutationOp = .upsert
    ) -> IncomingMutation {
        var mutation = customer(id, entityId, name: name, base: base, op: op)
        mutation.hlc = HLC(wall: wall, counter: 0)
        return mutation
    }

    static func open(_ store: any SyncStore, _ tenantId: Int64, _ entityId: String) async throws -> [ConflictRecord] {
        try await store.conflicts(tenantId: tenantId, resolved: false, entityId: entityId, cursor: nil, limit: 10).items
    }

    @Test(
        "a conflict opens, and ends with a write that has seen it; a write that has not seen the first stays open",
        arguments: StoreBackend.all
    )
    func conflictEndedByWrite(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, clock in
            let secret = try await store.createToken(tenantSlug: "acme", role: .device, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            let id = UUID().uuidString.lowercased()
            let wall = clock.nowMillis()
            let a = try await store.push(
                tenantId: tenantId,
                clientId: "a",
                mutations: [Self.edit(1, id, name: "A", base: 0, wall: wall)]
            )
            #expect(a.results.first?.status == .applied)
            let b = try await store.push(
                tenantId: tenantId,
                clientId: "b",
                mutations: [Self.edit(1, id, name: "B", base: 0, wall: wall + 5)]
            )
            let recorded = try #require(b.results.first?.conflicts.first)
            #expect(recorded.field == "name")
            #expect(recorded.winner == "B", "last writer wins by HLC")
            #expect(Set(recorded.writes.map(\.clientId)) == ["a", "b"] && !recorded.resolved)
            #expect(try await Self.open(store, tenantId, id).map(\.id) == [recorded.id])
            let current = try #require(b.results.first?.version)
            let c = try await store.push(
                tenantId: tenantId,
                clientId: "c",
                mutations: [Self.edit(1, id, name: "C", base: current, wall: wall + 1)]
            )
            #expect(c.results.first?.status == .applied)
            #expect(try await Self.open(store, tenantId, id).isEmpty, "a write that saw both ends the conflict")
            let ended = try await store.conflicts(
                tenantId: tenantId,
                resolved: true,
                entityId: id,
                cursor: nil,
                limit: 10
            ).items
            #expect(ended.map(\.id) == [recorded.id] && ended.first?.resolvedAt != nil)
            #expect(try await store.customer(tenantId: tenantId, id: id)?.fields["name"] == "C")
        }
    }

    @Test(
        "a person's choice resolves a conflict once; a delete wins over a later edit that did not see it",
        arguments: StoreBackend.all
    )
    func conflictResolvedAndDeleteWins(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, clock in
            let secret = try await store.createToken(tenantSlug: "acme", role: .device, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            let id = UUID().uuidString.lowercased()
            let wall = clock.nowMillis()
            _ = try await store.push(
                tenantId: tenantId,
                clientId: "a",
                mutations: [Self.edit(1, id, name: "A", base: 0, wall: wall)]
            )
            _ = try await store.push(
                tenantId: tenantId,
                clientId: "b",
                mutations: [Self.edit(1, id, name: "B", base: 0, wall: wall + 5)]
            )
            let conflict = try #require(try await Self.open(store, tenantId, id).first)
            let resolved = try await store.resolveConflict(tenantId: tenantId, id: conflict.id, value: "Z")
            #expect(resolved.resolved && resolved.winner == "Z" && resolved.resolvedAt != nil)
            let row = try #require(try await store.customer(tenantId: tenantId, id: id))
            #expect(row.fields["name"] == "Z")
            #expect(try await Self.open(store, tenantId, id).isEmpty)
            let again = try await store.resolveConflict(tenantId: tenantId, id: conflict.id, value: "Y")
            #expect(again.winner == "Z", "a resolved conflict stays as it was resolved")
            #expect(try await store.customer(tenantId: tenantId, id: id)?.version == row.version)
            await #expect(throws: StoreError.notFound("")) {
                try await store.resolveConflict(tenantId: tenantId, id: UUID().uuidString.lowercased(), value: "Y")
            }

            let deleted = try await store.push(
                tenantId: tenantId,
                clientId: "a",
                mutations: [Self.edit(2, id, name: "", base: row.version, wall: wall + 10, op: .delete)]
            )
            #expect(deleted.results.first?.status == .applied)
            let late = try await store.push(
                tenantId: tenantId,
                clientId: "b",
                mutations: [Self.edit(2, id, name: "late", base: row.version, wall: wall + 20)]
            )
            #expect(late.results.first?.error?.type == "entity-deleted")
            #expect(try await store.customer(tenantId: tenantId, id: id) == nil)
            let pulled = try await store.pull(tenantId: tenantId, since: nil, limit: 10).changes
            #expect(pulled.first { $0.entityId == id }?.deleted == true, "the tombstone is pulled")
        }
    }

    @Test(
        "a cancel after the close is refused and recorded as an ended conflict (rule final)",
        arguments: StoreBackend.all
    )
    func conflictFinal(_ backend: StoreBackend) async throws {
        try await StoreConcurrencyTests.withPair(backend) { stores, tenantId, clock in
            let store = stores[0]
            let mutations = StoreConcurrencyTests.closedInspection(firstId: 1, now: clock.now())
            let inspection = try #require(mutations.first { $0.entity == "inspection" }).entityId
            _ = try await store.push(tenantId: tenantId, clientId: "tablet", mutations: mutations)
            var cancel = IncomingMutation(
                id: 1,
                entity: "inspection",
                entityId: inspection,
                op: .upsert,
                baseVersion: 3,
                hlc: HLC(wall: clock.nowMillis(), counter: 0),
                fields: ["state": "cancelled"]
            )
            let result = try await store.push(tenantId: tenantId, clientId: "other", mutations: [cancel])
            #expect(result.results.first?.error?.type == "inspection-final")
            let ended = try await store.conflicts(
                tenantId: tenantId,
                resolved: true,
                entityId: inspection,
                cursor: nil,
                limit: 10
            ).items
            #expect(ended.count == 1)
            #expect(ended.first?.rule == "final" && ended.first?.winner == "closed" && ended.first?.resolved == true)
            #expect(try await Self.open(store, tenantId, inspection).isEmpty)
            cancel.id = 2
            cancel.fields = ["odometer": 90000]
            let edit = try await store.push(tenantId: tenantId, clientId: "other", mutations: [cancel])
            #expect(edit.results.first?.error?.type == "inspection-final")
        }
    }
}
