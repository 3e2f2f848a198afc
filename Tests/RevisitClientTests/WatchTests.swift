import Foundation
import RevisitClient
import RevisitModel
import RevisitTestSupport
import Testing

/// `RevisitClient.watch()`: a store that keeps itself in sync as changes arrive, over the event stream or long
/// polls, through outages, without the app calling sync.
@Suite("Watching for changes")
struct WatchTests {
    @Test("an edit synced by one tablet appears in a watching tablet's store, and the watcher's own edits go up")
    func changesArriveOverTheStream() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let b = try await ClientFixture.make(on: server)
            let watch = WatchRecorder(b.client)
            try await eventually("b listens on the stream") { watch.saw { $0 == .listening(.stream) } }

            let id = try await a.startInspection()
            try await a.client.setItem(id, code: "brake_pads_front", ItemChange(status: .later))
            try await a.client.syncNow()
            try await eventually("b has a's edit", timeout: .seconds(5)) {
                (try? await b.client.inspection(id).item("brake_pads_front")?.status) == .later
            }

            // A local edit on the watching tablet goes up without a sync call.
            try await b.client.setItem(id, code: "horn", ItemChange(status: .now))
            let api = API(baseURL: server.baseURL, token: a.token)
            try await eventually("b's edit reached the server", timeout: .seconds(5)) {
                try await api.items(ofInspection: id)["horn"]?["status"] == "now"
            }
            try await eventually("b's queue is empty") { try await b.client.status().pending == 0 }
            #expect(b.transport.sent("syncStream").count >= 1)
            try await watch.stop()
        }
    }

    @Test("without the stream (503), long polls bring changes at once")
    func fallsBackToLongPolls() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let b = try await ClientFixture.make(on: server)
            for _ in 0..<20 { b.transport.fail("syncStream", with: .status(503, ["Retry-After": "1"])) }
            // The periodic check is slow here, so only the long poll can bring the change quickly.
            var options = WatchRecorder.quick
            options.pendingCheckInterval = .seconds(60)
            let watch = WatchRecorder(b.client, options: options)
            try await eventually("b long-polls") { watch.saw { $0 == .listening(.longPoll) } }

            let id = try await a.startInspection()
            try await a.client.syncNow()
            try await eventually("b has a's inspection", timeout: .seconds(5)) {
                (try? await b.client.inspection(id)) != nil
            }
            #expect(!watch.saw { if case .offline = $0 { true } else { false } })
            try await watch.stop()
        }
    }

    @Test("the watcher rides out an unreachable server, keeps its edits and catches up when it is back")
    func survivesAnOutage() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let b = try await ClientFixture.make(on: server)
            let id = try await a.startInspection()
            try await a.client.syncNow()
            let own = try await b.startInspection(plate: "XY-987-Z", vin: nil)
            // Enough failures for several syncs (each retries 3 times) to give up.
            for _ in 0..<10 {
                b.transport.fail("syncPush", with: .networkError)
                b.transport.fail("syncStream", with: .networkError)
            }
            let watch = WatchRecorder(b.client)
            try await eventually("b reports the outage") {
                watch.saw { if case .offline = $0 { true } else { false } }
            }
            #expect(try await b.client.status().pending > 0)

            try await eventually("b caught up", timeout: .seconds(10)) {
                (try? await b.client.inspection(id)) != nil
            }
            let api = API(baseURL: server.baseURL, token: a.token)
            try await eventually("b's offline edit reached the server", timeout: .seconds(5)) {
                try await api.get("/v1/inspections/\(own)").status == 200
            }
            try await eventually("b listens again") { watch.saw { $0 == .listening(.longPoll) } }

            // And changes keep arriving after the outage.
            try await a.client.setItem(id, code: "wipers", ItemChange(status: .ok))
            try await a.client.syncNow()
            try await eventually("b has the later edit", timeout: .seconds(5)) {
                (try? await b.client.inspection(id).item("wipers")?.status) == .ok
            }
            try await watch.stop()
        }
    }

    @Test("a refused token ends the watch with tokenRefused")
    func refusedTokenEnds() async throws {
        try await TestServer.with { server in
            let b = try await ClientFixture.make(on: server)
            try await b.client.setServer(URL(string: server.baseURL)!, token: "rv_not-a-token")
            await #expect {
                for try await _ in b.client.watch(WatchRecorder.quick) {}
            } throws: { error in
                (error as? RevisitClientError)?.code == .tokenRefused
            }
        }
    }
}
