import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

/// Deferred work from close to CRM: follow-ups, release by the test clock, webhooks, outcomes, the report.
@Suite("Follow-ups and webhooks over HTTP")
struct FollowUpEndToEndTests {
    struct Workshop {
        let server: TestServer
        let admin: API
        let integration: API
        var tablet: Tablet
        let scenario = Scenario()

        init(_ server: TestServer) async throws {
            self.server = server
            admin = API(baseURL: server.baseURL, token: try await server.token("acme", .admin))
            integration = API(baseURL: server.baseURL, token: try await server.token("acme", .integration))
            tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token("acme", .device)))
            // The inspection happens on 2 March 2026; the test clock starts an hour later.
            server.clock.set(RFC3339DateTime.date(from: "2026-03-02T10:30:00Z")!)
            tablet.wall = server.clock.nowMillis()
        }

        /// An inspection with deferred pads, a declined `now` wiper, approved battery work and fine lights, closed.
        mutating func closeInspection() async throws {
            let s = scenario
            let inspection = JSONValue.string(s.inspection)
            var mutations = s.create(on: &tablet)
            mutations += [
                tablet.mutation("inspection", s.inspection, ["inspectedAt": "2026-03-02T09:30:00Z"], base: 3),
                tablet.mutation(
                    "item",
                    s.item("wipers"),
                    [
                        "inspectionId": inspection, "code": "wipers", "status": "now",
                        "estimatedCost": ["amount": 4500],
                    ]
                ),
                tablet.mutation(
                    "item",
                    s.item("battery"),
                    [
                        "inspectionId": inspection, "code": "battery", "status": "later",
                        "customerDecision": "approved",
                    ]
                ),
                tablet.mutation(
                    "item",
                    s.item("lights"),
                    ["inspectionId": inspection, "code": "lights", "status": "ok"]
                ),
                tablet.mutation(
                    "item",
                    s.item("brake_pads_front"),
                    ["remainingKm": 3600, "estimatedCost": ["amount": 18000]],
                    base: 4
                ),
                tablet.mutation("inspection", s.inspection, ["state": "completed"], base: 5),
                tablet.mutation("item", s.item("wipers"), ["customerDecision": "declined"], base: 6),
                tablet.mutation("inspection", s.inspection, ["state": "closed"], base: 11),
            ]
            let answer = try await tablet.push(mutations)
            let statuses = answer["results"]?.arrayValue?.compactMap { $0.objectValue?["status"]?.stringValue }
            guard statuses?.allSatisfy({ $0 == "applied" }) == true else {
                throw TestFailure("the inspection did not close: \(answer.json)")
            }
        }

        func followups() async throws -> [String: [String: JSONValue]] {
            let list = try await integration.get("/v1/followups")
            var byCode: [String: [String: JSONValue]] = [:]
            for followup in list["data"]?.arrayValue?.compactMap(\.objectValue) ?? [] {
                byCode[followup["code"]?.stringValue ?? ""] = followup
            }
            return byCode
        }
    }

    @Test("closing an inspection schedules its deferred work; the scheduler releases it when the clock passes")
    func scheduleAndRelease() async throws {
        try await TestServer.with({ $0.schedulerInterval = .milliseconds(20) }) { server in
            var shop = try await Workshop(server)
            let settings = try await shop.admin.send(.PATCH, "/v1/settings", json: ["timeZone": "Europe/Amsterdam"])
            #expect(
                settings.status == 200 && settings["timeZone"] == "Europe/Amsterdam" && settings["leadTimeDays"] == 14
            )
            #expect(try await shop.tablet.api.send(.PATCH, "/v1/settings", json: ["leadTimeDays": 3]).isProblem(403))
            #expect(
                try await shop.admin.send(.PATCH, "/v1/settings", json: ["timeZone": "Mars/Olympus"]).isProblem(422)
            )
            try await shop.closeInspection()

            let followups = try await shop.followups()
            #expect(
                Set(followups.keys) == ["brake_pads_front", "wipers"],
                "later and declined now; not approved, not ok"
            )
            let pads = try #require(followups["brake_pads_front"])
            #expect(pads["dueDate"] == "2026-06-10", "3600 km at the default 36 km/day: 100 days after inspection")
            #expect(pads["safetyCritical"] == false && pads["state"] == "scheduled")
            #expect(pads["vehicle"]?.objectValue?["plate"] == "AB-123-C")
            #expect(pads["customer"]?.objectValue?["name"] == "J. de Vries")
            #expect(pads["estimatedCost"]?.objectValue?["currency"] == "EUR")
            let wipers = try #require(followups["wipers"])
            #expect(wipers["safetyCritical"] == true)

            // The wipers are due within the lead time: released at once. The pads wait for the clock.
            try await eventually("the safety-critical follow-up is released") {
                try await shop.followups()["wipers"]?["state"] == "released"
            }
            let padsId = try #require(pads["id"]?.stringValue)
            let releaseAt = try #require(pads["releaseAt"]?.stringValue.flatMap(RFC3339DateTime.date(from:)))
            server.clock.set(releaseAt.addingTimeInterval(-3600))
            #expect(try await server.store.releaseDueFollowups(now: server.clock.now(), limit: 10) == 0)
            #expect(try await shop.integration.get("/v1/followups/\(padsId)")["state"] == "scheduled")
            server.clock.set(releaseAt.addingTimeInterval(1))
            try await eventually("the pads follow-up is released") {
                try await shop.integration.get("/v1/followups/\(padsId)")["state"] == "released"
            }

            let feed = try await shop.integration.get("/v1/events?limit=1000")
            let types = feed["data"]?.arrayValue?.compactMap { $0.objectValue?["type"]?.stringValue } ?? []
            #expect(
                types.prefix(4) == [
                    "inspection.completed", "inspection.closed", "followup.scheduled", "followup.scheduled",
                ]
            )
            #expect(types.filter { $0 == "followup.released" }.count == 2)
            let cursor = try #require(feed["cursor"]?.stringValue)
            let after = try await shop.integration.get("/v1/events?after=\(cursor)")
            #expect(after["data"] == [] && after["cursor"] == .string(cursor) && after["hasMore"] == false)
            #expect(try await shop.tablet.api.get("/v1/followups").isProblem(403, "forbidden"))
            #expect(try await shop.integration.get("/v1/events?after=nope").isProblem(400, "malformed-request"))
        }
    }

    @Test("outcomes follow the state machine, and the report counts what came of the deferred work")
    func outcomesAndReport() async throws {
        try await TestServer.with({ $0.schedulerInterval = .milliseconds(20) }) { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let followups = try await shop.followups()
            let pads = try #require(followups["brake_pads_front"]?["id"]?.stringValue)
            let wipers = try #require(followups["wipers"]?["id"]?.stringValue)
            let api = shop.integration
            func outcome(_ id: String, _ body: JSONValue) async throws -> Answer {
                try await api.post("/v1/followups/\(id)/outcome", body)
            }
            let booked = try await outcome(pads, ["outcome": "booked", "appointmentAt": "2026-05-01T08:00:00Z"])
            #expect(
                booked.status == 200 && booked["state"] == "booked",
                "a customer may book before release: \(booked.json)"
            )
            let moved = try await outcome(pads, ["outcome": "booked", "appointmentAt": "2026-05-08T08:00:00Z"])
            #expect(moved["outcome"]?.objectValue?["appointmentAt"]?.stringValue?.hasPrefix("2026-05-08") == true)
            #expect((moved["version"]?.intValue ?? 0) > (booked["version"]?.intValue ?? 0))
            #expect(try await outcome(pads, ["outcome": "contacted"]).isProblem(409, "invalid-transition"))
            #expect(try await outcome(pads, ["outcome": "done"])["state"] == "done")
            #expect(try await outcome(pads, ["outcome": "lost", "reason": "price"]).isProblem(409, "followup-final"))
            #expect(try await outcome(wipers, ["outcome": "lost"]).isProblem(422, "validation"), "lost needs a reason")
            #expect(try await outcome(wipers, ["outcome": "cancelled"]).isProblem(403), "cancelling is for admins")
            #expect(try await outcome(wipers, ["outcome": "maybe"]).isProblem(422, "validation"))
            #expect(try await outcome(wipers, ["outcome": "lost", "reason": "price"])["state"] == "lost")
            #expect(
                try await shop.tablet.api.post("/v1/followups/\(wipers)/outcome", ["outcome": "done"]).isProblem(403)
            )
            #expect(try await outcome(UUID().uuidString, ["outcome": "done"]).isProblem(404, "not-found"))

            try await eventually("the wipers' release is recorded") {
                try await api.get("/v1/followups/\(wipers)")["state"] == "lost"
            }
            let report = try await api.get("/v1/reports/followups?from=2026-01-01&to=2027-12-31")
            #expect(report.status == 200)
            let months = report["months"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let counts = months.reduce(into: [String: Int64]()) { total, month in
                for (state, n) in month["counts"]?.objectValue ?? [:] { total[state, default: 0] += n.intValue ?? 0 }
            }
            #expect(counts["done"] == 1 && counts["lost"] == 1)
            let lost = months.compactMap { $0["lostValueByReason"]?.objectValue?["price"]?.intValue }.reduce(0, +)
            #expect(lost == 4500)
            let done = months.compactMap { $0["valueDone"]?.intValue }.reduce(0, +)
            #expect(done == 18000)
        }
    }

    @Test("a later inspection that finds the item ok fulfils the open follow-up; a new deferral supersedes it")
    func fulfilAndSupersede() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let s = shop.scenario
            let second = UUID().uuidString.lowercased()
            let item = { (code: String) in
                DerivedID.item(inspectionId: UUID(uuidString: second)!, code: code).uuidString.lowercased()
            }
            let answer = try await shop.tablet.push([
                shop.tablet.mutation(
                    "inspection",
                    second,
                    [
                        "vehicleId": .string(s.vehicle), "odometer": 90000, "state": "in_progress",
                        "inspectedAt": "2026-04-02T09:30:00Z",
                    ]
                ),
                shop.tablet.mutation(
                    "item",
                    item("brake_pads_front"),
                    ["inspectionId": .string(second), "code": "brake_pads_front", "status": "ok"]
                ),
                shop.tablet.mutation(
                    "item",
                    item("wipers"),
                    ["inspectionId": .string(second), "code": "wipers", "status": "later"]
                ),
                shop.tablet.mutation("inspection", second, ["state": "completed"], base: 0),
                shop.tablet.mutation("inspection", second, ["state": "closed"], base: 0),
            ])
            #expect(answer["results"]?.arrayValue?.allSatisfy { $0.objectValue?["status"] == "applied" } == true)
            let list = try await shop.integration.get("/v1/followups?limit=100")
            let all = list["data"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let pads = all.filter { $0["code"] == "brake_pads_front" }
            #expect(pads.map { $0["state"] } == ["fulfilled"])
            let wipers = all.filter { $0["code"] == "wipers" }.sorted {
                ($0["createdAt"]?.stringValue ?? "") < ($1["createdAt"]?.stringValue ?? "")
            }
            #expect(wipers.contains { $0["state"] == "superseded" })
            #expect(
                wipers.filter { $0["state"]?.stringValue.flatMap(FollowUpState.init(rawValue:))?.isOpen == true }.count
                    == 1,
                "one open follow-up per vehicle and code"
            )
            let open = try await shop.integration.get("/v1/followups?state=fulfilled")
            #expect(open["data"]?.arrayValue?.count == 1)
        }
    }
}

@Suite("Follow-ups: tenants, monthly release, bad input")
struct FollowUpBoundaryTests {
    @Test("another tenant's follow-ups, endpoints and events answer 404 or nothing")
    func isolation() async throws {
        try await TestServer.with { server in
            var shop = try await FollowUpEndToEndTests.Workshop(server)
            try await shop.closeInspection()
            let id = try #require(try await shop.followups()["brake_pads_front"]?["id"]?.stringValue)
            let endpoint = try await shop.admin.post("/v1/webhook-endpoints", ["url": "https://crm.example.com/hook"])
            let endpointId = try #require(endpoint["id"]?.stringValue)
            let other = API(baseURL: server.baseURL, token: try await server.token("other", .admin))
            #expect(try await other.get("/v1/followups/\(id)").isProblem(404, "not-found"))
            #expect(try await other.post("/v1/followups/\(id)/outcome", ["outcome": "done"]).isProblem(404))
            #expect(try await other.get("/v1/followups")["data"] == [])
            #expect(try await other.get("/v1/events")["data"] == [])
            #expect(try await other.get("/v1/webhook-endpoints/\(endpointId)").isProblem(404))
            #expect(try await other.send(.DELETE, "/v1/webhook-endpoints/\(endpointId)").isProblem(404))
            #expect(try await shop.integration.get("/v1/followups/\(id)").status == 200)
        }
    }

    @Test("bad input to the follow-up API answers 4xx problem+json, never 5xx")
    func badInput() async throws {
        try await TestServer.with { server in
            let shop = try await FollowUpEndToEndTests.Workshop(server)
            let api = shop.admin
            let id = UUID().uuidString
            let cases: [(Answer, Int)] = [
                (try await api.get("/v1/followups?state=pending"), 400),
                (try await api.get("/v1/followups?dueBefore=tomorrow"), 400),
                (try await api.get("/v1/followups?limit=0"), 400),
                (try await api.get("/v1/reports/followups?from=2026-13-01"), 400),
                (try await api.get("/v1/reports/followups?from=2026-05-01&to=2026-04-01"), 422),
                (try await api.send(.PATCH, "/v1/settings", json: ["releaseDay": 31]), 422),
                (try await api.send(.PATCH, "/v1/settings", json: ["leadTimeDays": "two weeks"]), 400),
                (try await api.send(.PATCH, "/v1/settings", json: ["colour": "red"]), 400),
                (try await api.post("/v1/followups/\(id)/outcome", ["outcome": "done", "extra": 1]), 400),
                (try await api.post("/v1/webhook-endpoints", ["events": ["*"]]), 400),
                (try await api.post("/v1/webhook-endpoints", ["url": "not a url"]), 422),
                (try await api.post("/v1/webhook-endpoints/\(id)/replay", ["since": "yesterday"]), 400),
                (try await api.post("/v1/webhook-endpoints/\(id)/replay", ["since": "2026-01-01T00:00:00Z"]), 404),
                (try await api.get("/v1/webhook-endpoints/\(id)/deliveries?state=lost"), 404),
                (try await api.send(.PUT, "/v1/settings", json: [:]), 405),
            ]
            for (index, (answer, status)) in cases.enumerated() {
                #expect(answer.isProblem(status), "case \(index): \(answer.status) \(answer.json)")
            }
        }
    }

    @Test("in monthly mode, follow-ups due next month are released together on the release day")
    func monthlyRelease() async throws {
        try await TestServer.with({ $0.schedulerInterval = .milliseconds(20) }) { server in
            var shop = try await FollowUpEndToEndTests.Workshop(server)
            let patched = try await shop.admin.send(
                .PATCH,
                "/v1/settings",
                json: ["releaseMode": "monthly", "releaseDay": 5]
            )
            #expect(patched["releaseMode"] == "monthly")
            let s = shop.scenario
            var mutations = s.create(on: &shop.tablet)
            mutations += [
                shop.tablet.mutation("item", s.item("brake_pads_front"), ["dueDate": "2026-05-20"], base: 4),
                shop.tablet.mutation(
                    "item",
                    s.item("timing_belt"),
                    [
                        "inspectionId": .string(s.inspection), "code": "timing_belt", "status": "later",
                        "dueDate": "2026-05-03",
                    ]
                ),
                shop.tablet.mutation("inspection", s.inspection, ["state": "completed"], base: 3),
                shop.tablet.mutation("inspection", s.inspection, ["state": "closed"], base: 3),
            ]
            _ = try await shop.tablet.push(mutations)
            let followups = try await shop.followups()
            let pads = try #require(followups["brake_pads_front"])
            let belt = try #require(followups["timing_belt"])
            #expect(pads["releaseAt"] == belt["releaseAt"], "due in the same month, released together")
            let releaseAt = try #require(pads["releaseAt"]?.stringValue.flatMap(RFC3339DateTime.date(from:)))
            #expect(RFC3339DateTime.string(from: releaseAt).hasPrefix("2026-04-05T08:00"))
            server.clock.set(releaseAt.addingTimeInterval(-60))
            #expect(try await server.store.releaseDueFollowups(now: server.clock.now(), limit: 10) == 0)
            server.clock.set(releaseAt.addingTimeInterval(60))
            try await eventually("both released on the 5th") {
                let now = try await shop.followups()
                return now["brake_pads_front"]?["state"] == "released" && now["timing_belt"]?["state"] == "released"
            }
        }
    }
}
