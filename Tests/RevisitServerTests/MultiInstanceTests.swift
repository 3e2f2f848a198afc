import Foundation
import RevisitModel
import RevisitTestSupport
import Synchronization
import Testing

/// Two `revisit-server` processes on one PostgreSQL database, as a dealer group runs them behind a load balancer
/// (issue 6). The processes use the real clock: follow-ups fall due because their items are due tomorrow, which
/// releases them at the close.
@Suite("Several instances on one PostgreSQL database", .serialized)
struct MultiInstanceTests {
    /// Two processes sharing a fresh database, with tokens of one tenant.
    struct Pair {
        let a: ServerProcess
        let b: ServerProcess
        let drop: @Sendable () async -> Void

        static func start(_ flags: [String] = [], startB: Bool = true) async throws -> Pair {
            let (url, drop) = try await TestPostgres.freshDatabase()
            let a = try ServerProcess(database: url)
            let b = try ServerProcess(database: url)
            try await a.start(flags)
            if startB { try await b.start(flags) }
            return Pair(a: a, b: b, drop: drop)
        }

        func stop() async {
            a.cleanUp()
            b.cleanUp()
            await drop()
        }
    }

    /// What pushes acknowledged: the highest version of each row a push answered as applied.
    final class Acknowledged: Sendable {
        let versions = Mutex<[String: Int64]>([:])
        let pushing = Mutex(true)

        func record(_ answer: Answer, _ mutations: [JSONValue]) {
            let applied = MultiInstanceTests.appliedVersions(answer, mutations)
            versions.withLock { $0.merge(applied, uniquingKeysWith: max) }
        }

        var snapshot: [String: Int64] { versions.withLock { $0 } }
    }

    @Test("8 tablets push to one tenant through both instances while others pull: no version twice, none skipped")
    func concurrentPushAndPull() async throws {
        try TestPostgres.requireConfigured()
        let pair = try await Pair.start()
        defer { Task { await pair.stop() } }
        let token = try pair.a.createToken()
        let urls = [pair.a.baseURL, pair.b.baseURL]
        var seed = Tablet(API(baseURL: urls[0], token: token))
        let shared = (0..<10).map { _ in UUID().uuidString.lowercased() }
        #expect(try await seed.push(shared.map { seed.mutation("customer", $0, ["name": "shared"]) }).status == 200)

        let acknowledged = Acknowledged()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for tablet in 0..<8 {
                group.addTask {
                    var tablets = urls.map { Tablet(API(baseURL: $0, token: token)) }
                    for batch in 0..<12 {
                        // One clientId whichever instance the load balancer picks.
                        var tablet0 = tablets[0]
                        var mutations = (0..<20).map { _ in
                            tablet0.mutation("customer", UUID().uuidString.lowercased(), ["name": "new"])
                        }
                        mutations += shared.map {
                            tablet0.mutation("customer", $0, ["name": .string("t\(tablet)-\(batch)")])
                        }
                        tablets[0] = tablet0
                        let via = tablets[batch % 2]
                        let answer = try await via.api.post(
                            "/v1/sync/push",
                            .object(["clientId": .string(tablet0.clientId), "mutations": .array(mutations)])
                        )
                        #expect(answer.status == 200, "\(answer.json)")
                        acknowledged.record(answer, mutations)
                    }
                }
            }
            for puller in 0..<3 {
                group.addTask {
                    let apis = urls.map { API(baseURL: $0, token: token) }
                    var state: [String: Int64] = [:]
                    var seen = Set<Int64>()
                    var highest: Int64 = 0
                    var cursor: String?
                    var round = 0
                    while true {
                        let wasPushing = acknowledged.pushing.withLock { $0 }
                        let before = acknowledged.snapshot
                        // Pull to the end, alternating instances page by page.
                        while true {
                            round += 1
                            let query = cursor.map { "?since=\($0)&limit=200" } ?? "?limit=200"
                            let answer = try await apis[(round + puller) % 2].get("/v1/sync/pull" + query)
                            try #require(answer.status == 200, "\(answer.json)")
                            for change in answer["changes"]?.arrayValue ?? [] {
                                let object = try #require(change.objectValue)
                                let version = try #require(object["version"]?.intValue)
                                let id = try #require(object["entityId"]?.stringValue)
                                #expect(version > highest, "versions strictly increase across pages")
                                #expect(seen.insert(version).inserted, "version \(version) came twice")
                                highest = max(highest, version)
                                state[id] = version
                            }
                            cursor = answer["cursor"]?.stringValue
                            if answer["hasMore"]?.boolValue != true { break }
                        }
                        // Everything acknowledged before this pull began is in it, or a later version of it is.
                        let skipped = before.filter { (state[$0.key] ?? 0) < $0.value }
                        #expect(skipped.isEmpty, "a pull skipped acknowledged changes: \(skipped.prefix(3))")
                        if !wasPushing {
                            let final = try await Tablet(apis[puller % 2]).pullAll()
                            let expected = final.changes.compactMapValues { $0["version"]?.intValue }
                            #expect(state == expected, "the puller ends with every row's final version")
                            return
                        }
                    }
                }
            }
            // The pushers are the first eight tasks; when they are done the pullers make their last round.
            var finished = 0
            while finished < 8, try await group.next() != nil { finished += 1 }
            acknowledged.pushing.withLock { $0 = false }
            try await group.waitForAll()
        }
        let versions = acknowledged.snapshot
        #expect(versions.count == 8 * 12 * 20 + 10, "every new row and the shared ones were acknowledged")
    }

    /// The version each row got from the applied mutations of a push; results carry mutation ids, not row ids.
    static func appliedVersions(_ answer: Answer, _ mutations: [JSONValue]) -> [String: Int64] {
        var rows: [Int64: String] = [:]
        for mutation in mutations {
            guard let object = mutation.objectValue, let id = object["id"]?.intValue,
                let entity = object["entityId"]?.stringValue
            else { continue }
            rows[id] = entity
        }
        var versions: [String: Int64] = [:]
        for result in answer["results"]?.arrayValue ?? [] {
            guard let object = result.objectValue, object["status"]?.stringValue == "applied",
                let id = object["id"]?.intValue, let row = rows[id], let version = object["version"]?.intValue
            else { continue }
            versions[row] = max(versions[row] ?? 0, version)
        }
        return versions
    }

    /// Twenty item codes of the standard checklist, each deferred to tomorrow: the close releases them at once.
    static func closedInspections(_ count: Int, on tablet: inout Tablet) async throws {
        let codes = Array(BuiltInTemplates.all.first { $0.id == "standard-car" }!.items.map(\.code).prefix(20))
        let tomorrow = CalendarDate(Date().addingTimeInterval(86400), in: .gmt).description
        for start in stride(from: 0, to: count, by: 10) {
            var create: [JSONValue] = []
            var inspections: [String] = []
            for _ in start..<min(start + 10, count) {
                let scenario = Scenario()
                inspections.append(scenario.inspection)
                // The scenario's customer, vehicle and inspection; its own item (pads due by kilometres) is left out.
                create.append(tablet.mutation("customer", scenario.customer, ["name": "J. de Vries"]))
                create.append(
                    tablet.mutation(
                        "vehicle",
                        scenario.vehicle,
                        ["plate": "AB-123-C", "customerId": .string(scenario.customer), "kind": "customer"]
                    )
                )
                create.append(
                    tablet.mutation(
                        "inspection",
                        scenario.inspection,
                        [
                            "vehicleId": .string(scenario.vehicle), "templateId": "standard-car", "odometer": 84210,
                            "state": "in_progress",
                        ]
                    )
                )
                for code in codes {
                    create.append(
                        tablet.mutation(
                            "item",
                            scenario.item(code),
                            [
                                "inspectionId": .string(scenario.inspection), "code": .string(code),
                                "status": "later", "dueDate": .string(tomorrow),
                            ]
                        )
                    )
                }
            }
            let created = try await tablet.push(create)
            try #require(created.status == 200, "\(created.json)")
            let versions = appliedVersions(created, create)
            var close: [JSONValue] = []
            for inspection in inspections {
                let base = versions[inspection] ?? 0
                close.append(tablet.mutation("inspection", inspection, ["state": "completed"], base: base))
                close.append(tablet.mutation("inspection", inspection, ["state": "closed"], base: base))
            }
            let closed = try await tablet.push(close)
            try #require(closed.status == 200, "\(closed.json)")
        }
    }

    @Test("1,000 follow-ups fall due with two instances running: each released once, each event delivered once")
    func releaseOnce() async throws {
        try TestPostgres.requireConfigured()
        let receiver = try await WebhookReceiver.start()
        // A seeds with its scheduler asleep; then two fresh instances start together and race for the due work.
        let pair = try await Pair.start(["--allow-private-webhooks", "--scheduler-interval", "1h"], startB: false)
        defer {
            Task {
                await pair.stop()
                await receiver.stop()
            }
        }
        let admin = API(baseURL: pair.a.baseURL, token: try pair.a.createToken(role: "admin"))
        let endpoint = try await admin.post(
            "/v1/webhook-endpoints",
            ["url": .string(receiver.url), "events": ["followup.released"]]
        )
        #expect(endpoint.status == 201, "\(endpoint.json)")
        var tablet = Tablet(API(baseURL: pair.a.baseURL, token: try pair.a.createToken()))
        try await Self.closedInspections(50, on: &tablet)
        let scheduled = try await admin.get("/v1/followups?state=scheduled&limit=1000")
        #expect(scheduled.status == 200)
        #expect(scheduled["data"]?.arrayValue?.count == 1000, "twenty follow-ups per closed inspection")
        #expect(receiver.requests.isEmpty, "nothing released before the two instances start")

        _ = try await pair.a.stop(with: SIGTERM)
        let c = try ServerProcess(database: pair.a.database)
        defer { c.cleanUp() }
        let flags = ["--allow-private-webhooks", "--scheduler-interval", "100ms"]
        async let startB: Void = pair.b.start(flags)
        async let startC: Void = c.start(flags)
        _ = try await (startB, startC)

        do {
            try await eventually("1,000 released follow-ups delivered", timeout: .seconds(60)) {
                Set(receiver.requests.map(\.id)).count >= 1000
            }
        } catch {
            let left = try await API(baseURL: pair.b.baseURL, token: admin.token)
                .get("/v1/followups?state=scheduled&limit=1000")
            Issue.record(
                "\(receiver.requests.count) delivered; still scheduled: \(left["data"]?.arrayValue?.count ?? -1)"
            )
            throw error
        }
        try await Task.sleep(for: .seconds(2))  // Room for a duplicate to show up, if the claims let one through.
        let requests = receiver.requests
        #expect(requests.count == 1000, "each event delivered once: \(requests.count) requests")
        let followups = requests.compactMap { ($0.json["data"] as? [String: Any])?["id"] as? String }
        #expect(Set(followups).count == 1000, "each follow-up released once")
        var events: [String] = []
        var cursor = "0"
        while true {
            let page = try await API(baseURL: pair.b.baseURL, token: admin.token).get(
                "/v1/events?after=\(cursor)&limit=1000"
            )
            try #require(page.status == 200, "\(page.json)")
            events += (page["data"]?.arrayValue ?? []).compactMap { $0.objectValue?["type"]?.stringValue }
            guard page["hasMore"]?.boolValue == true, let next = page["cursor"]?.stringValue else { break }
            cursor = next
        }
        #expect(events.filter { $0 == "followup.released" }.count == 1000, "one release event per follow-up")
    }

    @Test(
        "kill -9 of an instance in the middle of deliveries: the other finishes them after the lease, never twice at once"
    )
    func killDuringDeliveries() async throws {
        try TestPostgres.requireConfigured()
        // A slow CRM keeps A's attempts in flight when A dies.
        let receiver = try await WebhookReceiver.start(delay: .seconds(2))
        let flags = ["--allow-private-webhooks", "--claim-lease", "11s", "--webhook-retry-schedule", "1s,1s,1s"]
        let pair = try await Pair.start(flags, startB: false)
        defer {
            Task {
                await pair.stop()
                await receiver.stop()
            }
        }
        let admin = API(baseURL: pair.a.baseURL, token: try pair.a.createToken(role: "admin"))
        #expect(try await admin.post("/v1/webhook-endpoints", ["url": .string(receiver.url)]).status == 201)
        var tablet = Tablet(API(baseURL: pair.a.baseURL, token: try pair.a.createToken()))
        try await Self.closedInspections(2, on: &tablet)
        try await eventually("A has deliveries in flight") { receiver.answering > 0 }
        pair.a.kill()
        let inFlightAtKill = Set(receiver.requests.map(\.id))
        try await pair.b.start(flags)

        var committed = Set<String>()
        var cursor = "0"
        let feed = API(baseURL: pair.b.baseURL, token: admin.token)
        while true {
            let page = try await feed.get("/v1/events?after=\(cursor)&limit=1000")
            try #require(page.status == 200, "\(page.json)")
            committed.formUnion((page["data"]?.arrayValue ?? []).compactMap { $0.objectValue?["id"]?.stringValue })
            guard page["hasMore"]?.boolValue == true, let next = page["cursor"]?.stringValue else { break }
            cursor = next
        }
        #expect(committed.count >= 2 * 20, "the follow-ups' events, at least")
        let started = ContinuousClock.now
        try await eventually("B delivers every event, A's unfinished ones after their lease", timeout: .seconds(90)) {
            let counts = Dictionary(receiver.requests.map { ($0.id, 1) }, uniquingKeysWith: +)
            // A's in-flight attempts never got their answer recorded: B sends those again.
            return committed.allSatisfy { (counts[$0] ?? 0) >= (inFlightAtKill.contains($0) ? 2 : 1) }
        }
        #expect(ContinuousClock.now - started > .seconds(5), "A's claims were held until their lease ran out")
        #expect(receiver.overlaps == 0, "no delivery was in flight twice at once")
    }
}
