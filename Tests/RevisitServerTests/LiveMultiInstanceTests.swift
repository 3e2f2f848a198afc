import Foundation
import RevisitModel
import RevisitStore
import RevisitTestSupport
import Testing

/// Waiting for changes across instances (DESIGN section 4): a push to one `revisit-server` process wakes a held pull
/// and a stream on another through PostgreSQL's `LISTEN`/`NOTIFY`, also after the listener's connection was killed.
@Suite("Waiting for changes across instances", .serialized)
struct LiveMultiInstanceTests {
    @Test("a push to one instance wakes a held pull and a stream on the other")
    func acrossInstances() async throws {
        try TestPostgres.requireConfigured()
        let pair = try await MultiInstanceTests.Pair.start()
        defer { Task { await pair.stop() } }
        let token = try pair.a.createToken()
        var writer = Tablet(API(baseURL: pair.a.baseURL, token: token))
        let reader = Tablet(API(baseURL: pair.b.baseURL, token: token))
        let cursor = try await reader.pullAll().cursor
        let stream = try await EventStreamClient(baseURL: pair.b.baseURL, token: token)
        let first = try #require(try await stream.nextCursor())

        let waiting = heldPull(reader.api, since: cursor, wait: 30)
        try await eventually("the pull is held on b") {
            try await metric("revisit_sync_held_polls", at: pair.b.baseURL) >= 1
        }
        #expect(try await writer.push([LiveChangesTests.customer(&writer)]).status == 200)
        let (answer, took) = try await waiting.value
        #expect(answer["changes"]?.arrayValue?.count == 1 && took < .seconds(20))
        let next = try #require(try await stream.nextCursor())
        #expect(next > first)
    }

    @Test("a killed listener connection loses no wake-up: it reconnects and every waiter looks again")
    func listenerKilled() async throws {
        try TestPostgres.requireConfigured()
        let pair = try await MultiInstanceTests.Pair.start()
        defer { Task { await pair.stop() } }
        let token = try pair.a.createToken()
        var writer = Tablet(API(baseURL: pair.a.baseURL, token: token))
        let reader = Tablet(API(baseURL: pair.b.baseURL, token: token))
        let server = try #require(TestPostgres.serverURL)
        let database = try #require(URLComponents(string: pair.a.database)?.path.dropFirst()).description

        for round in 0..<3 {
            let cursor = try await reader.pullAll().cursor
            let waiting = heldPull(reader.api, since: cursor, wait: 60)
            try await eventually("the pull is held on b") {
                try await metric("revisit_sync_held_polls", at: pair.b.baseURL) >= 1
            }
            try await PostgresAdmin.terminateChangeListeners(database: database, serverURL: server)
            // The push commits while the listeners may still be away: its NOTIFY reaches nobody.
            #expect(try await writer.push([LiveChangesTests.customer(&writer)]).status == 200)
            let (answer, took) = try await waiting.value
            #expect(answer["changes"]?.arrayValue?.count == 1, "round \(round): the change, not an empty page")
            #expect(took < .seconds(50), "round \(round): woken by the reconnection, not by the end of its wait")
        }
    }
}
