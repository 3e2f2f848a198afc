import Foundation
import RevisitClient
import RevisitModel
import RevisitTestSupport
import Testing

/// Offline edits are kept locally first and go up exactly once, whatever happens to the syncs in between.
@Suite("Offline edits and the mutation queue")
struct OfflineQueueTests {
    @Test("edits go up exactly once across a failed sync, a lost answer, a restart and a retry")
    func exactlyOnce() async throws {
        try await TestServer.with { server in
            let tablet = try await ClientFixture.make(on: server)
            let id = try await tablet.startInspection()
            try await tablet.client.setItem(id, code: "brake_pads_front", ItemChange(status: .later, remainingKm: 4000))
            try await tablet.client.setItem(
                id,
                code: "tyre_front_left",
                ItemChange(measurement: MeasuredValue(value: 2.5))
            )
            try await tablet.client.setItem(id, code: "horn", ItemChange(status: .ok))
            let queued = try await tablet.client.status().pending
            #expect(queued == 5)  // vehicle, inspection, three items

            // 1. The network is down for every attempt: nothing leaves, everything stays queued.
            tablet.transport.fail("syncPush", with: .networkError, .networkError, .networkError, .networkError)
            await #expect(throws: RevisitClientError.self) { try await tablet.client.syncNow() }
            #expect(try await tablet.client.status().pending == queued)
            #expect(try await tablet.client.status().lastSync == nil)

            // 2. The push reaches the server, which applies it, but the answer is lost (a killed process or a dropped
            // connection): still queued locally.
            tablet.transport.fail("syncPush", with: .loseAnswer, .networkError, .networkError, .networkError)
            await #expect(throws: RevisitClientError.self) { try await tablet.client.syncNow() }
            #expect(try await tablet.client.status().pending == queued)
            let api = API(baseURL: server.baseURL, token: tablet.token)
            let applied = try await api.items(ofInspection: id)
            #expect(applied["brake_pads_front"]?["status"] == "later")
            let versions = applied.mapValues { $0["version"] }

            // 3. A restart, then a retry: the server answers duplicate and applies nothing twice.
            let restarted = try tablet.reopened()
            let summary = try await restarted.client.syncNow()
            #expect(summary.duplicates == queued)
            #expect(summary.rejected == 0)
            #expect(try await restarted.client.status().pending == 0)
            #expect(try await restarted.client.status().lastSync != nil)
            let after = try await api.items(ofInspection: id)
            #expect(after.mapValues { $0["version"] } == versions)
            #expect(after["tyre_front_left"]?["status"] == "later")  // suggested by the 2.5 mm threshold
            let shown = try await restarted.client.inspection(id)
            #expect(shown.item("brake_pads_front")?.status == .later)
            #expect(shown.hasPendingChanges == false)
            #expect(shown.version != nil)
        }
    }

    @Test("mutation ids stay consecutive and the clock monotonic across restarts, even when the wall clock goes back")
    func idsAndClockSurviveRestarts() async throws {
        try await TestServer.with { server in
            let clock = TestWallClock(Date())
            let tablet = try await ClientFixture.make(on: server, clock: clock)
            let id = try await tablet.startInspection()
            try await tablet.client.setItem(id, code: "horn", ItemChange(status: .ok))
            clock.advance(by: -3600)  // the tablet's clock is set back an hour
            let restarted = try RevisitClient(storePath: tablet.path, clock: clock)
            try await restarted.setItem(id, code: "lights", ItemChange(status: .na))
            try await restarted.setItem(id, code: "horn", ItemChange(status: .now))
            let queue = try await restarted.pendingMutations()
            #expect(queue.map(\.id) == Array(1...Int64(queue.count)))
            for (earlier, later) in zip(queue, queue.dropFirst()) { #expect(earlier.hlc < later.hlc) }
            // A later local write closes the earlier one of the same client: the mechanic's second look counts.
            #expect(try await restarted.inspection(id).item("horn")?.status == .now)
            let summary = try await restarted.syncNow()
            #expect(summary.applied == queue.count)
            let items = try await API(baseURL: server.baseURL, token: tablet.token).items(ofInspection: id)
            #expect(items["horn"]?["status"] == "now")
        }
    }

    @Test("a mutation gap (another tenant, a restored server) renumbers the queue and sends it")
    func mutationGapRenumbers() async throws {
        try await TestServer.with { server in
            let tablet = try await ClientFixture.make(on: server, tenant: "acme")
            let first = try await tablet.startInspection()
            try await tablet.client.syncNow()
            let second = try await tablet.startInspection(plate: "ZZ-999-Z", vin: nil)
            try await tablet.client.setItem(second, code: "horn", ItemChange(status: .ok))
            #expect(try await tablet.client.pendingMutations().first?.id == 3)

            // The same store logs in to another workshop: that server has seen no id of this client.
            let other = try await server.token("beta", .device)
            try await tablet.client.login(serverURL: URL(string: server.baseURL)!, token: other)
            let summary = try await tablet.client.syncNow()
            #expect(summary.applied == 3)
            #expect(try await tablet.client.status().pending == 0)
            let beta = API(baseURL: server.baseURL, token: other)
            #expect(try await beta.get("/v1/inspections/\(second)").status == 200)
            #expect(try await beta.get("/v1/inspections/\(first)").status == 404)
            // The store now holds beta's rows only.
            #expect(try await tablet.client.inspections().map(\.id.lowercasedString) == [second])
        }
    }
}
