import Foundation
import RevisitModel
import RevisitServer
import RevisitTestSupport
import Testing

/// Waiting for changes (DESIGN section 4): pulls with `wait` and the event stream, woken by commits, on both stores
/// (the PostgreSQL pass of scripts/test.sh runs these with their servers on PostgreSQL).
@Suite("Waiting for changes: held pulls and the event stream")
struct LiveChangesTests {
    static func customer(_ tablet: inout Tablet) -> JSONValue {
        tablet.mutation("customer", UUID().uuidString.lowercased(), ["name": "Walk-in"])
    }

    @Test("a push wakes a held pull at once; wait runs out with the usual empty page; bad waits are 400")
    func heldPulls() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let other = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            #expect(try await tablet.push([Self.customer(&tablet)]).status == 200)
            let cursor = try await other.pullAll().cursor

            let empty = try await other.api.get("/v1/sync/pull?since=\(cursor)&wait=1")
            #expect(empty.status == 200 && empty["changes"]?.arrayValue?.isEmpty == true)
            #expect(empty["cursor"] == .string(cursor), "the same cursor when nothing came")

            let waiting = heldPull(other.api, since: cursor, wait: 30)
            try await eventually("the pull is held") {
                try await metric("revisit_sync_held_polls", at: server.baseURL) >= 1
            }
            #expect(try await tablet.push([Self.customer(&tablet)]).status == 200)
            let (woken, took) = try await waiting.value
            #expect(woken.status == 200 && woken["changes"]?.arrayValue?.count == 1)
            #expect(took < .seconds(20), "woken by the commit, not by the end of its wait")

            for wait in ["0", "61", "soon", "-1"] {
                #expect(try await other.api.get("/v1/sync/pull?since=\(cursor)&wait=\(wait)").isProblem(400))
            }
            // With changes waiting it answers at once.
            let ready = try await other.api.get("/v1/sync/pull?since=\(cursor)&wait=60")
            #expect(ready["changes"]?.arrayValue?.count == 1)
        }
    }

    @Test("the stream gives the current cursor first, then one event per commit burst, and keep-alive comments")
    func stream() async throws {
        let configure: @Sendable (inout ServerConfiguration) -> Void = {
            $0.limits.streamHeartbeat = .milliseconds(300)
        }
        try await TestServer.with(configure) { server in
            let token = try await server.token()
            var tablet = Tablet(API(baseURL: server.baseURL, token: token))
            #expect(try await tablet.push([Self.customer(&tablet)]).status == 200)
            let stream = try await EventStreamClient(baseURL: server.baseURL, token: token)
            #expect(stream.status == 200 && stream.contentType.hasPrefix("text/event-stream"))
            let first = try #require(try await stream.nextCursor())
            #expect(first == Int64(try await tablet.pullAll().cursor))

            #expect(try await tablet.push([Self.customer(&tablet)]).status == 200)
            let next = try #require(try await stream.nextCursor())
            #expect(next > first)
            var sawComment = false
            while !sawComment, let block = try await stream.next() { sawComment = block.hasPrefix(":") }
            #expect(sawComment, "a heartbeat while nothing changes")

            let integration = API(baseURL: server.baseURL, token: try await server.token("acme", .integration))
            #expect(try await integration.get("/v1/sync/stream").isProblem(403))
            #expect(try await API(baseURL: server.baseURL).get("/v1/sync/stream").isProblem(401))
        }
    }

    @Test("another tenant's commits wake nothing here")
    func tenantsApart() async throws {
        try await TestServer.with { server in
            var elsewhere = Tablet(API(baseURL: server.baseURL, token: try await server.token("elsewhere")))
            let here = Tablet(API(baseURL: server.baseURL, token: try await server.token("acme")))
            let cursor = try await here.pullAll().cursor
            let waiting = heldPull(here.api, since: cursor, wait: 2)
            try await eventually("the pull is held") {
                try await metric("revisit_sync_held_polls", at: server.baseURL) >= 1
            }
            #expect(try await elsewhere.push([Self.customer(&elsewhere)]).status == 200)
            let (answer, took) = try await waiting.value
            #expect(answer["changes"]?.arrayValue?.isEmpty == true && took >= .seconds(1))
        }
    }

    @Test("past the per-tenant cap a held pull or stream answers 503 with Retry-After")
    func caps() async throws {
        try await TestServer.with({ $0.limits.maxWaitingPerTenant = 1 }) { server in
            let token = try await server.token()
            let tablet = Tablet(API(baseURL: server.baseURL, token: token))
            let cursor = try await tablet.pullAll().cursor
            let waiting = heldPull(tablet.api, since: cursor, wait: 3)
            try await eventually("the pull is held") {
                try await metric("revisit_sync_held_polls", at: server.baseURL) >= 1
            }
            let refused = try await tablet.api.get("/v1/sync/pull?since=\(cursor)&wait=3")
            #expect(refused.isProblem(503, "unavailable") && refused.headers.first(name: "Retry-After") != nil)
            #expect(try await tablet.api.get("/v1/sync/stream").isProblem(503, "unavailable"))
            #expect(try await tablet.api.get("/v1/sync/pull?since=\(cursor)").status == 200, "a plain pull still works")
            let other = Tablet(API(baseURL: server.baseURL, token: try await server.token("elsewhere")))
            let apart = try await other.api.get("/v1/sync/pull?wait=1")
            #expect(apart.status == 200, "another tenant has its own places")
            _ = try await waiting.value
        }
    }

    @Test("shutdown ends held pulls and streams at once")
    func shutdown() async throws {
        let server = try await TestServer.start()
        let token = try await server.token()
        let tablet = Tablet(API(baseURL: server.baseURL, token: token))
        let cursor = try await tablet.pullAll().cursor
        let waiting = heldPull(tablet.api, since: cursor, wait: 60)
        let stream = try await EventStreamClient(baseURL: server.baseURL, token: token)
        _ = try await stream.nextCursor()
        try await eventually("the pull is held") {
            try await metric("revisit_sync_held_polls", at: server.baseURL) >= 1
        }
        let started = ContinuousClock.now
        await server.stop()
        // Well under the pull's 60 s, with room for a loaded CI machine's own slowness.
        #expect(ContinuousClock.now - started < .seconds(40), "the server did not wait out the held requests")
        let (answer, took) = try await waiting.value
        #expect(answer.status == 200 && took < .seconds(55))
        var ended = false
        while !ended { ended = try await stream.next() == nil }
        #expect(ended)
    }
}
