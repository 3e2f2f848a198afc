import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

/// The call round over HTTP (DESIGN section 6): a reading re-plans the kilometre-based follow-ups, outcomes carry
/// readings and contact fixes, a sold car ends its other follow-ups, corrections reach the tablets. The inspection
/// of the shared workshop reads 84,210 km on 2 March 2026; its front pads have 3,600 km left (due at 87,810 km).
@Suite("The call round")
struct CallRoundTests {
    typealias Workshop = FollowUpEndToEndTests.Workshop

    static func events(_ api: API, type: String) async throws -> [[String: JSONValue]] {
        let feed = try await api.get("/v1/events?limit=1000")
        return (feed["data"]?.arrayValue ?? []).compactMap(\.objectValue).filter { $0["type"]?.stringValue == type }
            .compactMap { $0["data"]?.objectValue }
    }

    @Test("a reading re-plans the kilometre follow-ups from itself; a repeat changes nothing; a wrong one is 422")
    func readingReplans() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let before = try await shop.followups()
            let pads = try #require(before["brake_pads_front"])
            #expect(pads["dueDate"] == "2026-06-10" && pads["dueOdometer"] == 87810)
            let vehicle = shop.scenario.vehicle
            let path = "/v1/vehicles/\(vehicle)/odometer-readings"

            // Driven 3,200 km in 59 days (54 km a day, not the default 36): 400 km left, due a week later.
            server.clock.set(RFC3339DateTime.date(from: "2026-04-30T12:00:00Z")!)
            let answer = try await shop.integration.post(path, ["value": 87410, "readAt": "2026-04-30T10:00:00Z"])
            #expect(answer.status == 201, "\(answer.json)")
            #expect(answer["reading"]?.objectValue?["source"] == "crm")
            let replanned = answer["followups"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(replanned.map { $0["code"] } == ["brake_pads_front"], "the safety-critical wipers keep their date")
            let moved = try #require(replanned.first)
            #expect(moved["dueDate"] == "2026-05-07" && moved["dueSource"] == "km_reading")
            #expect(moved["dueReading"]?.objectValue?["odometer"] == 87410)
            #expect(moved["releaseAt"]?.stringValue.flatMap(RFC3339DateTime.date(from:)) == server.clock.now())
            let updates = try await Self.events(shop.integration, type: "followup.updated")
            #expect(updates.count == 1 && updates.first?["previousDueDate"] == "2026-06-10")

            let repeated = try await shop.integration.post(path, ["value": 87410, "readAt": "2026-04-30T10:00:00Z"])
            #expect(repeated.status == 201 && repeated["followups"] == [], "a retried reading is stored once")
            #expect(try await Self.events(shop.integration, type: "followup.updated").count == 1)

            let readings = try await shop.integration.get("/v1/vehicles/\(vehicle)")["odometerReadings"]?.arrayValue
            #expect(readings?.compactMap { $0.objectValue?["source"]?.stringValue } == ["inspection", "crm"])

            for (value, at, why) in [
                (87500, "2026-05-02T10:00:00Z", "in the future"),
                (84000, "2026-04-30T11:00:00Z", "below an earlier reading"),
                (874100, "2026-04-30T11:00:00Z", "a typo of a factor 10"),
                (-5, "2026-04-30T11:00:00Z", "negative"),
            ] {
                let refused = try await shop.integration.post(
                    path,
                    ["value": .int(Int64(value)), "readAt": .string(at)]
                )
                #expect(refused.isProblem(422, "validation"), "\(why): \(refused.json)")
            }
            let after = try await shop.integration.get("/v1/vehicles/\(vehicle)")["odometerReadings"]?.arrayValue
            #expect(after?.count == 2, "nothing refused was stored")
            #expect(
                try await shop.tablet.api.post(path, ["value": 87500, "readAt": "2026-04-30T11:00:00Z"]).isProblem(403)
            )
            let unknown = "/v1/vehicles/\(UUID().uuidString)/odometer-readings"
            #expect(
                try await shop.integration.post(unknown, ["value": 1, "readAt": "2026-04-30T11:00:00Z"]).isProblem(404)
            )
            #expect(try await shop.integration.post(path, ["value": 87500]).isProblem(400, "malformed-request"))
            let other = API(baseURL: server.baseURL, token: try await server.token("globex", .integration))
            #expect(
                try await other.post(path, ["value": 87500, "readAt": "2026-04-30T11:00:00Z"]).isProblem(404),
                "another tenant's vehicle"
            )
        }
    }

    @Test("a released follow-up whose new date is far off goes back to scheduled")
    func releasedGoesBack() async throws {
        try await TestServer.with({ $0.schedulerInterval = .milliseconds(20) }) { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let pads = try #require(try await shop.followups()["brake_pads_front"])
            let id = try #require(pads["id"]?.stringValue)
            let releaseAt = try #require(pads["releaseAt"]?.stringValue.flatMap(RFC3339DateTime.date(from:)))
            server.clock.set(releaseAt.addingTimeInterval(3600))
            try await eventually("the pads follow-up is released") {
                try await shop.integration.get("/v1/followups/\(id)")["state"] == "released"
            }
            // The car has hardly moved: 290 km in 87 days, so the 3,310 km left take years.
            let answer = try await shop.integration.post(
                "/v1/vehicles/\(shop.scenario.vehicle)/odometer-readings",
                ["value": 84500, "readAt": .string(RFC3339DateTime.string(from: server.clock.now()))]
            )
            #expect(answer.status == 201, "\(answer.json)")
            let now = try await shop.integration.get("/v1/followups/\(id)")
            #expect(now["state"] == "scheduled", "\(now.json)")
            let due = try #require(now["dueDate"]?.stringValue.flatMap(CalendarDate.init))
            #expect(due > CalendarDate(year: 2027, month: 1, day: 1)!)
        }
    }

    @Test("an outcome carries the reading and contact fixes; a sold car ends its other follow-ups")
    func outcomeWithWhatTheCallLearnt() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let followups = try await shop.followups()
            let pads = try #require(followups["brake_pads_front"]?["id"]?.stringValue)
            let wipers = try #require(followups["wipers"]?["id"]?.stringValue)
            let (_, cursor) = try await shop.tablet.pullAll()
            server.clock.set(RFC3339DateTime.date(from: "2026-04-30T12:00:00Z")!)

            let refused = try await shop.integration.post(
                "/v1/followups/\(pads)/outcome",
                ["outcome": "contacted", "customer": ["name": "Someone else"]]
            )
            #expect(refused.isProblem(400, "malformed-request"), "only contact fields: \(refused.json)")
            let typo = try await shop.integration.post(
                "/v1/followups/\(pads)/outcome",
                ["outcome": "contacted", "odometer": ["value": 874100, "readAt": "2026-04-30T10:00:00Z"]]
            )
            #expect(typo.isProblem(422, "validation"))
            #expect(try await shop.integration.get("/v1/followups/\(pads)")["state"] == "scheduled", "nothing written")

            let contacted = try await shop.integration.post(
                "/v1/followups/\(pads)/outcome",
                [
                    "outcome": "contacted", "odometer": ["value": 87410, "readAt": "2026-04-30T10:00:00Z"],
                    "customer": ["phone": "+31 6 12345678", "email": "j.devries@example.com"],
                ]
            )
            #expect(contacted.status == 200, "\(contacted.json)")
            #expect(contacted["state"] == "contacted" && contacted["dueDate"] == "2026-05-07")
            let customer = try await shop.integration.get("/v1/customers/\(shop.scenario.customer)")
            #expect(customer["phone"] == "+31 6 12345678" && customer["name"] == "J. de Vries")
            let updated = try await Self.events(shop.integration, type: "customer.updated")
            #expect(updated.count == 1 && updated.first?["email"] == "j.devries@example.com")
            let (changes, _) = try await shop.tablet.pullAll(since: cursor)
            #expect(
                changes[shop.scenario.customer]?["fields"]?.objectValue?["phone"] == "+31 6 12345678",
                "the tablets pull the fix"
            )

            let sold = try await shop.integration.post(
                "/v1/followups/\(pads)/outcome",
                ["outcome": "lost", "reason": "vehicle_sold"]
            )
            #expect(sold["state"] == "lost")
            let others = try await shop.integration.get("/v1/followups/\(wipers)")
            #expect(others["state"] == "lost" && others["outcome"]?.objectValue?["reason"] == "vehicle_sold")
        }
    }

    @Test("PATCH /v1/customers/{id} corrects contact details as a change tablets pull; bad ones change nothing")
    func customerCorrection() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let path = "/v1/customers/\(shop.scenario.customer)"
            let before = try await shop.admin.get(path)
            let (_, cursor) = try await shop.tablet.pullAll()
            let fixed = try await shop.integration.send(.PATCH, path, json: ["phone": "+31 20 5550000"])
            #expect(fixed.status == 200 && fixed["phone"] == "+31 20 5550000", "\(fixed.json)")
            #expect((fixed["version"]?.intValue ?? 0) > (before["version"]?.intValue ?? 0))
            let (changes, _) = try await shop.tablet.pullAll(since: cursor)
            #expect(changes[shop.scenario.customer]?["fields"]?.objectValue?["phone"] == "+31 20 5550000")
            let pads = try await shop.followups()["brake_pads_front"]
            #expect(pads?["customer"]?.objectValue?["phone"] == "+31 20 5550000", "open follow-ups carry the fix")

            #expect(try await shop.integration.send(.PATCH, path, json: [:]).isProblem(422, "validation"))
            #expect(try await shop.integration.send(.PATCH, path, json: ["name": "X"]).isProblem(400))
            #expect(try await shop.integration.send(.PATCH, path, json: ["contactConsent": "yes"]).isProblem(400))
            #expect(try await shop.tablet.api.send(.PATCH, path, json: ["phone": "1"]).isProblem(403))
            let unknown = "/v1/customers/\(UUID().uuidString)"
            #expect(try await shop.integration.send(.PATCH, unknown, json: ["phone": "1"]).isProblem(404))
            let other = API(baseURL: server.baseURL, token: try await server.token("globex", .admin))
            #expect(try await other.send(.PATCH, path, json: ["phone": "1"]).isProblem(404), "another tenant's")
            #expect(try await shop.admin.get(path)["phone"] == "+31 20 5550000")
        }
    }

    @Test("cover: plans decide each follow-up's coverage at its due date and mileage; filter, report, bad plans")
    func cover() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let vehicle = shop.scenario.vehicle
            let path = "/v1/vehicles/\(vehicle)/coverage"
            #expect(try await shop.tablet.api.get(path)["plans"] == [], "no plans yet; a tablet may read them")
            #expect(try await shop.followups()["brake_pads_front"]?["coverage"] == .null)

            // The pads are due on 10 June 2026 at about 87,810 km: a brakes warranty to 100,000 km covers them.
            let warranty: JSONValue = [
                "kind": "warranty", "name": "Manufacturer warranty", "validUntil": "2026-12-31",
                "validUntilKm": 100_000, "categories": ["brakes", "tyres"],
            ]
            let put = try await shop.integration.send(.PUT, path, json: ["plans": [warranty]])
            #expect(put.status == 200, "\(put.json)")
            let changed = put["followups"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(changed.map { $0["code"] } == ["brake_pads_front"], "the wipers (body) are not covered")
            #expect(changed.first?["coverage"] == ["kind": "warranty", "name": "Manufacturer warranty"])
            #expect(try await shop.tablet.api.get(path)["plans"]?.arrayValue?.count == 1)
            let covered = try await shop.integration.get("/v1/followups?coverage=covered")["data"]?.arrayValue
            #expect(covered?.compactMap { $0.objectValue?["code"] } == ["brake_pads_front"])
            let paid = try await shop.integration.get("/v1/followups?coverage=customer")["data"]?.arrayValue
            #expect(paid?.compactMap { $0.objectValue?["code"] } == ["wipers"])
            #expect(try await shop.integration.get("/v1/followups?coverage=maybe").isProblem(400))
            let updates = try await Self.events(shop.integration, type: "followup.updated")
            #expect(updates.count == 1 && updates.first?["coverage"] != .null)

            // A limit of 85,000 km ends before the pads fall due: the customer pays again.
            var limited = warranty.objectValue ?? [:]
            limited["validUntilKm"] = 85_000
            let lower = try await shop.integration.send(.PUT, path, json: ["plans": [.object(limited)]])
            #expect(lower["followups"]?.arrayValue?.first?.objectValue?["coverage"] == .null)

            for (bad, why) in [
                (["kind": "insurance", "name": "X", "validUntil": "2027-01-01", "categories": ["*"]], "kind"),
                (["kind": "warranty", "name": "X", "validUntil": "soon", "categories": ["*"]], "validUntil"),
                (["kind": "warranty", "name": "X", "validUntil": "2027-01-01", "categories": []], "categories"),
                (
                    [
                        "kind": "warranty", "name": "X", "validUntil": "2027-01-01", "validUntilKm": -1,
                        "categories": ["*"],
                    ],
                    "validUntilKm"
                ),
            ] as [(JSONValue, String)] {
                let refused = try await shop.integration.send(.PUT, path, json: ["plans": [bad]])
                #expect(refused.status == 422 || refused.status == 400, "\(why): \(refused.json)")
            }
            #expect(try await shop.admin.get(path)["plans"]?.arrayValue?.first?.objectValue?["validUntilKm"] == 85_000)
            #expect(try await shop.tablet.api.send(.PUT, path, json: ["plans": []]).isProblem(403))
            let unknown = "/v1/vehicles/\(UUID().uuidString)/coverage"
            #expect(try await shop.integration.send(.PUT, unknown, json: ["plans": []]).isProblem(404))
            #expect(try await shop.integration.get(unknown).isProblem(404))

            // Covered work that is done counts as covered in the report; the wipers the customer declines as theirs.
            _ = try await shop.integration.send(.PUT, path, json: ["plans": [warranty]])
            let padsId = try #require(try await shop.followups()["brake_pads_front"]?["id"]?.stringValue)
            let wipersId = try #require(try await shop.followups()["wipers"]?["id"]?.stringValue)
            #expect(
                try await shop.integration.post("/v1/followups/\(padsId)/outcome", ["outcome": "done"]).status == 200
            )
            let declined = try await shop.integration.post(
                "/v1/followups/\(wipersId)/outcome",
                ["outcome": "declined", "reason": "price"]
            )
            #expect(declined.status == 200)
            let report = try await shop.integration.get("/v1/reports/followups?from=2026-01-01&to=2027-12-31")
            let months = report["months"]?.arrayValue?.compactMap(\.objectValue) ?? []
            func sum(_ part: String, _ key: String) -> Int64 {
                months.compactMap { $0[part]?.objectValue?[key]?.intValue }.reduce(0, +)
            }
            #expect(sum("covered", "valueDone") == 18000 && sum("customerPaid", "valueDone") == 0)
            #expect(sum("covered", "valueLost") == 0 && sum("customerPaid", "valueLost") == 4500)
        }
    }

    @Test("the call list as CSV: the Contract's header, safety first then by due date, RFC 4180, amounts in euros")
    func exportCSV() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let answer = try await shop.integration.get("/v1/followups/export.csv?from=2026-03-01&to=2026-06-30")
            #expect(answer.status == 200 && answer.contentType == "text/csv; charset=utf-8")
            #expect(
                answer.headers.first(name: "content-disposition")?.contains("followups-2026-03-01-2026-06-30.csv")
                    == true
            )
            let text = String(decoding: answer.bytes, as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n")
            #expect(
                lines.first
                    == "id,dueDate,state,safetyCritical,code,title,plate,make,model,customerName,phone,email,estimatedCost,currency,coverage"
            )
            #expect(lines.count == 4 && lines.last == "", "two rows, each ended by CRLF: \(lines)")
            let wipers = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let pads = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(wipers.count == 15 && wipers[4] == "wipers" && wipers[3] == "true", "safety-critical first")
            #expect(
                wipers[12] == "45.00" && wipers[13] == "EUR" && wipers[9] == "J. de Vries" && wipers[6] == "AB-123-C"
            )
            #expect(pads[4] == "brake_pads_front" && pads[1] == "2026-06-10" && pads[12] == "180.00" && pads[14] == "")

            let scheduled = try await shop.integration.get(
                "/v1/followups/export.csv?from=2026-03-01&to=2026-06-30&state=scheduled"
            )
            #expect(String(decoding: scheduled.bytes, as: UTF8.self).components(separatedBy: "\r\n").count <= 4)
            let nextMonth = try await shop.admin.get("/v1/followups/export.csv")
            #expect(
                String(decoding: nextMonth.bytes, as: UTF8.self).components(separatedBy: "\r\n").count == 2,
                "April: none"
            )
            #expect(try await shop.integration.get("/v1/followups/export.csv?from=March").isProblem(400))
            #expect(
                try await shop.integration.get("/v1/followups/export.csv?from=2026-05-01&to=2026-04-01").isProblem(400)
            )
            #expect(try await shop.integration.get("/v1/followups/export.csv?state=won").isProblem(400))
            #expect(try await shop.tablet.api.get("/v1/followups/export.csv").isProblem(403))
        }
    }
}
