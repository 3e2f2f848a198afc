import Foundation
import RevisitClient
import RevisitModel
import RevisitTestSupport
import Testing

/// What the server refuses is kept and shown, never re-sent on its own; a 410 keeps every pending edit.
@Suite("Rejections and resync")
struct RejectionAndResyncTests {
    @Test("a rejected mutation is surfaced with the server's problem and not sent again")
    func rejectedIsKeptAndNotResent() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let b = try await ClientFixture.make(on: server)
            let id = try await a.startInspection()
            try await a.client.setItem(id, code: "brake_pads_front", ItemChange(status: .later))
            try await a.client.syncNow()
            try await b.client.syncNow()

            // A closes the inspection; B, not knowing, sets an item.
            try await a.client.completeInspection(id)
            try await a.client.review(id, ReviewDecisions(deferred: ["brake_pads_front"], close: true))
            try await a.client.syncNow()
            try await b.client.setItem(id, code: "horn", ItemChange(status: .now))
            let summary = try await b.client.syncNow()
            #expect(summary.rejected == 1)

            let rejected = try await b.client.rejectedMutations()
            #expect(rejected.count == 1)
            #expect(rejected.first?.problem.type == "inspection-final")
            #expect(
                rejected.first?.entityId
                    == DerivedID.item(inspectionId: UUID(uuidString: id)!, code: "horn").lowercasedString
            )
            let status = try await b.client.status()
            #expect(status.pending == 0 && status.rejected == 1)
            // B shows the server's state: closed, horn unchecked.
            let shown = try await b.client.inspection(id)
            #expect(shown.state == .closed)
            #expect(shown.item("horn")?.status == .unchecked)
            // Editing a closed inspection is refused locally now.
            await #expect(throws: RevisitClientError.self) {
                try await b.client.setItem(id, code: "horn", ItemChange(status: .ok))
            }

            // The next sync sends nothing: the rejection stays listed until a person discards it.
            b.transport.reset()
            try await b.client.syncNow()
            #expect(b.transport.sent("syncPush").isEmpty)
            #expect(try await b.client.status().rejected == 1)
            #expect(try await b.client.discardRejected() == 1)
            #expect(try await b.client.status().rejected == 0)
        }
    }

    @Test("a 410 drops the copy of server rows, pulls from the start, and keeps pending and rejected edits")
    func cursorExpiredKeepsPending() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let id = try await a.startInspection()
            try await a.client.setItem(id, code: "horn", ItemChange(status: .ok))
            // A rejected mutation to keep across the resync: a measurement in another unit than the template's,
            // which only the server checks.
            try await a.client.setItem(
                id,
                code: "battery",
                ItemChange(measurement: MeasuredValue(value: 80, unit: "V"))
            )
            let first = try await a.client.syncNow()
            #expect(first.rejected == 1)

            // Another tablet creates and deletes a customer; the tombstone is purged past the cursor of A.
            var other = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let customer = UUID().uuidString.lowercased()
            let created = try await other.push([
                other.mutation("customer", customer, ["name": "Temp"]),
                other.mutation("customer", customer, [:], base: 0, op: "delete"),
            ])
            #expect(created.status == 200)
            #expect(try await server.store.purge(before: server.clock.now().addingTimeInterval(1)) == 1)

            // A's mechanic records something while the sync is between push and pull.
            a.transport.before("syncPull") {
                _ = try? await a.client.setItem(id, code: "lights", ItemChange(status: .later, note: "left bulb"))
            }
            var events: [SyncEvent] = []
            var summary: SyncSummary?
            for try await event in a.client.sync() {
                events.append(event)
                if case .finished(let done) = event { summary = done }
            }
            #expect(events.contains(.resyncing))
            #expect(summary?.resynced == true)
            #expect(a.transport.sent("syncPull").count >= 2)

            let status = try await a.client.status()
            #expect(status.pending == 1)
            #expect(status.rejected == 1)
            let shown = try await a.client.inspection(id)
            #expect(shown.version != nil)  // pulled again
            #expect(shown.item("horn")?.status == .ok)
            #expect(shown.item("lights")?.status == .later)
            #expect(shown.item("lights")?.hasPendingChanges == true)

            let next = try await a.client.syncNow()
            #expect(next.applied == 1 && next.resynced == false)
            let items = try await API(baseURL: server.baseURL, token: a.token).items(ofInspection: id)
            #expect(items["lights"]?["note"] == "left bulb")
        }
    }

    @Test("a full pull after a purge ends with a cursor the server accepts again")
    func pullAfterPurgeEndsPastThePurge() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            _ = try await a.startInspection()
            try await a.client.syncNow()
            // The tombstone is the tenant's last change when it is purged.
            var other = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let customer = UUID().uuidString.lowercased()
            _ = try await other.push([
                other.mutation("customer", customer, ["name": "Temp"]),
                other.mutation("customer", customer, [:], base: 0, op: "delete"),
            ])
            _ = try await server.store.purge(before: server.clock.now().addingTimeInterval(1))
            #expect(try await a.client.syncNow().resynced)
            // The full pull's cursor must carry past the purge; otherwise every later pull answers 410 again and
            // the client would resync from scratch at every sync.
            let again = try await a.client.syncNow()
            #expect(again.resynced == false)
        }
    }
}
