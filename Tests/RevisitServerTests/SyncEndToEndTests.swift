import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

@Suite("Sync over HTTP")
struct SyncEndToEndTests {
    @Test("a first push applies every mutation and a pull returns the rows in version order")
    func firstPushAndPull() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let scenario = Scenario()
            let answer = try await tablet.push(scenario.create(on: &tablet))
            #expect(answer.status == 200)
            let results = answer["results"]?.arrayValue ?? []
            #expect(results.map { $0.objectValue?["status"] } == Array(repeating: "applied", count: 4))
            let versions = results.compactMap { $0.objectValue?["version"]?.intValue }
            #expect(versions == versions.sorted() && Set(versions).count == 4)
            #expect(answer["lastMutationId"] == 4)
            #expect(answer["hlc"]?.objectValue?["wall"]?.intValue != nil)

            let pull = try await tablet.api.get("/v1/sync/pull")
            let changes = pull["changes"]?.arrayValue ?? []
            #expect(changes.compactMap { $0.objectValue?["version"]?.intValue } == versions)
            let inspection = changes.first { $0.objectValue?["entityId"]?.stringValue == scenario.inspection }
            let fields = inspection?.objectValue?["fields"]?.objectValue ?? [:]
            #expect(fields["state"] == "in_progress")
            #expect(fields["templateVersion"] == 1)
            #expect(fields["inspectedAt"]?.stringValue != nil, "the server fills in the receive time")
            #expect(pull["cursor"] == .string(String(versions.last!)))
            #expect(pull["hasMore"] == false)

            let end = try await tablet.api.get("/v1/sync/pull?since=\(versions.last!)")
            #expect(end["changes"] == [] && end["cursor"] == .string(String(versions.last!)))
        }
    }

    @Test("a re-push answers duplicate with the original outcome, rejected ones with their error")
    func idempotentRePush() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let scenario = Scenario()
            var mutations = scenario.create(on: &tablet)
            mutations.append(tablet.mutation("gearbox", UUID().uuidString, [:]))
            let first = try await tablet.push(mutations)
            #expect(first["results"]?.arrayValue?.last?.objectValue?["status"] == "rejected")
            let again = try await tablet.push(mutations)
            let results = again["results"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(results.allSatisfy { $0["status"] == "duplicate" })
            #expect(results.prefix(4).allSatisfy { $0["original"] == "applied" })
            #expect(results.last?["original"] == "rejected")
            #expect(results.last?["error"]?.objectValue?["type"] == "unknown-entity")
            let pull = try await tablet.pullAll()
            #expect(pull.changes.count == 4, "nothing was applied twice")
            #expect(pull.cursor == "4")
        }
    }

    @Test("a gap in mutation ids answers 409 with the expected id and applies nothing")
    func gap() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let scenario = Scenario()
            _ = try await tablet.push(scenario.create(on: &tablet))
            let other = UUID().uuidString.lowercased()
            let valid = tablet.mutation("customer", other, ["name": "A"])
            tablet.nextId += 3
            let skipped = tablet.mutation("customer", UUID().uuidString.lowercased(), ["name": "B"])
            let answer = try await tablet.push([valid, skipped])
            #expect(answer.isProblem(409, "mutation-gap"))
            #expect(answer["expectedMutationId"] == 6)
            let pull = try await tablet.pullAll()
            #expect(pull.changes[other] == nil, "the valid mutation before the gap was rolled back too")
        }
    }

    @Test("two tablets editing one item offline converge by the rules, with the conflict recorded")
    func concurrentEditsConverge() async throws {
        try await TestServer.with { server in
            let token = try await server.token()
            var a = Tablet(API(baseURL: server.baseURL, token: token))
            var b = Tablet(API(baseURL: server.baseURL, token: token))
            let scenario = Scenario()
            let created = try await a.push(scenario.create(on: &a))
            let base = created["results"]?.arrayValue?.last?.objectValue?["version"]?.intValue ?? 0
            let item = scenario.item("brake_pads_front")
            b.wall = a.wall + 10_000
            let fromA = a.mutation("item", item, ["status": "now", "note": "pads at 2 mm"], base: base)
            let fromB = b.mutation("item", item, ["status": "ok", "note": "replaced last week"], base: base)
            _ = try await a.push([fromA])
            let answerB = try await b.push([fromB])
            let conflicts = answerB["results"]?.arrayValue?.first?.objectValue?["conflicts"]?.arrayValue ?? []
            #expect(Set(conflicts.compactMap { $0.objectValue?["field"]?.stringValue }) == ["status", "note"])

            for tablet in [a, b] {
                let row = try await tablet.pullAll().changes[item]?["fields"]?.objectValue ?? [:]
                #expect(row["status"] == "now", "severity wins")
                #expect(row["note"] == "replaced last week", "last writer by HLC wins")
            }
            let listed = try await a.api.get("/v1/conflicts")
            let records = listed["data"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let status = try #require(records.first { $0["field"] == "status" })
            #expect(status["rule"] == "severity" && status["winner"] == "now" && status["resolved"] == false)
            #expect(status["writes"]?.arrayValue?.count == 2)

            let id = try #require(status["id"]?.stringValue)
            let resolved = try await a.api.post("/v1/conflicts/\(id)/resolve", ["value": "later"])
            #expect(resolved.status == 200 && resolved["resolved"] == true && resolved["winner"] == "later")
            let row = try await a.pullAll().changes[item]?["fields"]?.objectValue ?? [:]
            #expect(row["status"] == "later", "a person's choice has seen every write")
            let open = try await a.api.get("/v1/conflicts")
            #expect(open["data"]?.arrayValue?.count == 1, "only the note conflict is still open")

            // A write that has seen everything simply sets the value and ends the conflict.
            let latest = try #require(try await a.pullAll().changes[item]?["version"]?.intValue)
            let settle = a.mutation("item", item, ["note": "checked again"], base: latest)
            let settled = try await a.push([settle])
            #expect(settled["results"]?.arrayValue?.first?.objectValue?["conflicts"] == [])
            let none = try await a.api.get("/v1/conflicts")
            #expect(none["data"] == [])
        }
    }

    @Test("a closed inspection refuses writes, and a concurrent cancel is logged as an ended conflict")
    func closedInspection() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let scenario = Scenario()
            _ = try await tablet.push(scenario.create(on: &tablet))
            let steps = try await tablet.push([
                tablet.mutation("inspection", scenario.inspection, ["state": "completed"], base: 3),
                tablet.mutation("inspection", scenario.inspection, ["state": "closed"], base: 5),
            ])
            #expect(steps["results"]?.arrayValue?.allSatisfy { $0.objectValue?["status"] == "applied" } == true)
            let late = try await tablet.push([
                tablet.mutation("item", scenario.item("brake_pads_front"), ["status": "ok"], base: 6),
                tablet.mutation("inspection", scenario.inspection, ["state": "cancelled"], base: 4),
                tablet.mutation(
                    "item",
                    scenario.item("wipers"),
                    ["inspectionId": .string(scenario.inspection), "code": "wipers", "status": "ok"]
                ),
            ])
            let results = late["results"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(results.map { $0["status"] } == ["rejected", "rejected", "rejected"])
            #expect(results.allSatisfy { $0["error"]?.objectValue?["type"] == "inspection-final" })
            let all = try await tablet.api.get("/v1/conflicts?resolved=true")
            let final = all["data"]?.arrayValue?.compactMap(\.objectValue).first { $0["rule"] == "final" }
            #expect(final?["winner"] == "closed" && final?["resolved"] == true)
            let detail = try await tablet.api.get("/v1/inspections/\(scenario.inspection)")
            #expect(detail["state"] == "closed")
        }
    }

    @Test("lifecycle steps that skip or go back are rejected as invalid-transition")
    func lifecycle() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let scenario = Scenario()
            _ = try await tablet.push(scenario.create(on: &tablet, state: "draft"))
            let answer = try await tablet.push([
                tablet.mutation("inspection", scenario.inspection, ["state": "closed"], base: 4),
                tablet.mutation("inspection", scenario.inspection, ["state": "completed"], base: 4),
                tablet.mutation("inspection", scenario.inspection, ["state": "in_progress"], base: 4),
                tablet.mutation("inspection", scenario.inspection, ["state": "completed"], base: 5),
                tablet.mutation("inspection", scenario.inspection, ["state": "in_progress"], base: 6),
                tablet.mutation(
                    "inspection",
                    UUID().uuidString.lowercased(),
                    ["vehicleId": .string(scenario.vehicle), "state": "completed"]
                ),
            ])
            let results = answer["results"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(
                results.map { $0["status"]?.stringValue ?? "" } == [
                    "rejected", "rejected", "applied", "applied", "applied", "rejected",
                ]
            )
            #expect(results[0]["error"]?.objectValue?["type"] == "invalid-transition")
            #expect(results[5]["error"]?.objectValue?["type"] == "invalid-transition")
        }
    }
}
