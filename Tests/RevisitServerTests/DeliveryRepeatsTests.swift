import Foundation
import RevisitModel
import RevisitTestSupport
import Synchronization
import Testing

/// Issue 17: the delivery worker records each outcome soon after it comes back, so a `kill -9` in the middle of
/// deliveries forgets at most the attempts that were on the wire (the worker's concurrency), not a claimed batch.
/// The receiver itself kills the server when the 500th request arrives, so the kill always lands mid-delivery.
@Suite("Repeats after kill -9 during deliveries", .serialized)
struct DeliveryRepeatsTests {
    /// The worker's concurrency: the most deliveries that can be sent and not yet recorded.
    static let concurrency = 64
    static let followups = 2000

    /// A receiver that counts requests and kills `victim` (once) when the `killAt`th request arrives.
    final class Killer: Sendable {
        let count = Mutex(0)
        let victim = Mutex<ServerProcess?>(nil)

        func arrived(killAt: Int) {
            let kill = count.withLock { count in
                count += 1
                return count == killAt
            }
            if kill { victim.withLock { $0 }?.kill() }
        }
    }

    /// Queues one delivery per released follow-up at once: the endpoint is made after the pushes and replays them.
    static func queueDeliveries(
        through server: ServerProcess,
        receiver: WebhookReceiver
    ) async throws -> (admin: API, endpoint: String) {
        let admin = API(baseURL: server.baseURL, token: try server.createToken(role: "admin"))
        var tablet = Tablet(API(baseURL: server.baseURL, token: try server.createToken()))
        let since = RFC3339DateTime.string(from: Date().addingTimeInterval(-60))
        try await MultiInstanceTests.closedInspections(followups / 20, on: &tablet)
        // Every follow-up released before the endpoint exists, so the replay is the only way a delivery is queued.
        try await eventually("every follow-up released", timeout: .seconds(30)) {
            let scheduled = try await admin.get("/v1/followups?state=scheduled&limit=1")
            return scheduled.status == 200 && scheduled["data"]?.arrayValue?.isEmpty == true
        }
        let created = try await admin.post(
            "/v1/webhook-endpoints",
            ["url": .string(receiver.url), "events": ["followup.released"]]
        )
        try #require(created.status == 201, "\(created.json)")
        let endpoint = try #require(created["id"]?.stringValue)
        let replay = try await admin.post("/v1/webhook-endpoints/\(endpoint)/replay", ["since": .string(since)])
        try #require(replay.status == 200 || replay.status == 202, "\(replay.json)")
        return (admin, endpoint)
    }

    /// Every released follow-up's event reached the receiver and every delivery ended (the dead instance's
    /// unrecorded claims are only sent again once their lease runs out); returns how many requests were repeats.
    static func repeats(
        _ receiver: WebhookReceiver,
        expected: Int,
        admin: API,
        endpoint: String
    ) async throws -> Int {
        try await eventually("every delivery succeeded", timeout: .seconds(90)) {
            let pending = try await admin.get("/v1/webhook-endpoints/\(endpoint)/deliveries?state=pending&limit=1")
            return pending.status == 200 && pending["data"]?.arrayValue?.isEmpty == true
                && Set(receiver.requests.map(\.id)).count >= expected
        }
        let succeeded = try await admin.get("/v1/webhook-endpoints/\(endpoint)/deliveries?state=succeeded&limit=1000")
        var count = succeeded["data"]?.arrayValue?.count ?? 0
        var cursor = succeeded["nextCursor"]?.stringValue
        while let next = cursor {
            let page = try await admin.get(
                "/v1/webhook-endpoints/\(endpoint)/deliveries?state=succeeded&limit=1000&cursor=\(next)"
            )
            count += page["data"]?.arrayValue?.count ?? 0
            cursor = page["nextCursor"]?.stringValue
        }
        #expect(count == expected, "every delivery succeeded")
        let requests = receiver.requests
        #expect(Set(requests.map(\.id)).count == expected, "each released follow-up's event, and no other")
        return requests.count - Set(requests.map(\.id)).count
    }

    @Test("SQLite: kill -9 in the middle of 2,000 deliveries; every event arrives, repeats at most the concurrency")
    func sqlite() async throws {
        let killer = Killer()
        let receiver = try await WebhookReceiver.start(delay: .milliseconds(10)) { _, _ in
            killer.arrived(killAt: 500)
            return 204
        }
        let server = try ServerProcess()
        defer { server.cleanUp() }
        let flags = ["--allow-private-webhooks", "--webhook-retry-schedule", "1s,1s,1s"]
        try await server.start(flags)
        killer.victim.withLock { $0 = server }
        let (admin, endpoint) = try await Self.queueDeliveries(through: server, receiver: receiver)
        try await eventually("the receiver killed the server mid-delivery", timeout: .seconds(60)) {
            killer.count.withLock { $0 } >= 500
        }
        killer.victim.withLock { $0 = nil }
        try await server.start(flags)
        let repeats = try await Self.repeats(
            receiver,
            expected: Self.followups,
            admin: API(baseURL: server.baseURL, token: admin.token),
            endpoint: endpoint
        )
        print("DeliveryRepeatsTests.sqlite: \(repeats) repeats of \(Self.followups) deliveries after kill -9")
        #expect(repeats <= Self.concurrency, "\(repeats) repeats: more than were in flight")
        server.kill()
        await receiver.stop()
    }

    @Test(
        "PostgreSQL, two instances: kill -9 of one mid-delivery; every event arrives, repeats at most its concurrency"
    )
    func postgres() async throws {
        try TestPostgres.requireConfigured()
        let killer = Killer()
        let receiver = try await WebhookReceiver.start(delay: .milliseconds(10)) { _, _ in
            killer.arrived(killAt: 500)
            return 204
        }
        let flags = ["--allow-private-webhooks", "--claim-lease", "11s", "--webhook-retry-schedule", "1s,1s,1s"]
        // A queues everything with B stopped; B starts right after, so both deliver and only A is killed.
        let pair = try await MultiInstanceTests.Pair.start(flags, startB: false)
        defer {
            Task {
                await pair.stop()
                await receiver.stop()
            }
        }
        killer.victim.withLock { $0 = pair.a }
        let (admin, endpoint) = try await Self.queueDeliveries(through: pair.a, receiver: receiver)
        try await pair.b.start(flags)
        try await eventually("the receiver killed A mid-delivery", timeout: .seconds(60)) {
            killer.count.withLock { $0 } >= 500
        }
        let atKill = Set(receiver.requests.map(\.id)).count
        let killed = ContinuousClock.now
        let repeats = try await Self.repeats(
            receiver,
            expected: Self.followups,
            admin: API(baseURL: pair.b.baseURL, token: admin.token),
            endpoint: endpoint
        )
        print(
            """
            DeliveryRepeatsTests.postgres: \(repeats) repeats of \(Self.followups) deliveries after kill -9 of one of \
            two (\(atKill) delivered at the kill, the rest in \(ContinuousClock.now - killed))
            """
        )
        #expect(killer.count.withLock { $0 } >= 500)
        #expect(repeats <= Self.concurrency, "\(repeats) repeats: more than one instance had in flight")
    }
}
