import Foundation
import NIOHTTP1
import RevisitModel
import RevisitTestSupport
import Testing

@Suite("Bad input answers 4xx problem+json and writes nothing")
struct BadInputTests {
    @Test("malformed requests are refused as a whole")
    func malformedRequests() async throws {
        try await TestServer.with({ $0.limits.pushBytes = 256 * 1024 }) { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let one = tablet.mutation("customer", UUID().uuidString.lowercased(), ["name": "A"])
            let client = JSONValue.string(tablet.clientId)
            let api = tablet.api
            let big = JSONValue.array((0..<1001).map { _ in one })
            let cases: [(String, Answer, Int, String)] = [
                (
                    "not JSON",
                    try await api.send(
                        .POST,
                        "/v1/sync/push",
                        raw: Array("{nope".utf8),
                        contentType: "application/json"
                    ), 400, "malformed-request"
                ),
                (
                    "unknown top-level field",
                    try await api.post(
                        "/v1/sync/push",
                        ["clientId": client, "mutations": [one], "extra": 1]
                    ), 400, "malformed-request"
                ),
                (
                    "unknown mutation field",
                    try await api.post(
                        "/v1/sync/push",
                        ["clientId": client, "mutations": [.object((one.objectValue ?? [:]).merging(["x": 1]) { $1 })]]
                    ),
                    400, "malformed-request"
                ),
                (
                    "wrong type of id",
                    try await api.post(
                        "/v1/sync/push",
                        [
                            "clientId": client,
                            "mutations": [.object((one.objectValue ?? [:]).merging(["id": "1"]) { $1 })],
                        ]
                    ),
                    400, "malformed-request"
                ),
                (
                    "missing mutations", try await api.post("/v1/sync/push", ["clientId": client]), 400,
                    "malformed-request"
                ),
                (
                    "clientId not a UUID",
                    try await api.post("/v1/sync/push", ["clientId": "tablet", "mutations": []]),
                    400, "malformed-request"
                ),
                (
                    "mutation id 0",
                    try await api.post(
                        "/v1/sync/push",
                        [
                            "clientId": client,
                            "mutations": [.object((one.objectValue ?? [:]).merging(["id": 0]) { $1 })],
                        ]
                    ),
                    400, "malformed-request"
                ),
                (
                    "over 1000 mutations", try await api.post("/v1/sync/push", ["clientId": client, "mutations": big]),
                    413, "payload-too-large"
                ),
                (
                    "over the byte limit",
                    try await api.send(
                        .POST,
                        "/v1/sync/push",
                        raw: Array(repeating: UInt8(ascii: " "), count: 300 * 1024) + Array("{}".utf8),
                        contentType: "application/json"
                    ), 413, "payload-too-large"
                ),
                (
                    "not application/json",
                    try await api.send(
                        .POST,
                        "/v1/sync/push",
                        raw: Array(#"{"clientId":"x","mutations":[]}"#.utf8),
                        contentType: "text/plain"
                    ),
                    415, "unsupported-media-type"
                ),
                ("limit 0", try await api.get("/v1/sync/pull?limit=0"), 400, "malformed-request"),
                ("limit 1001", try await api.get("/v1/sync/pull?limit=1001"), 400, "malformed-request"),
                ("limit not a number", try await api.get("/v1/sync/pull?limit=ten"), 400, "malformed-request"),
                ("malformed cursor", try await api.get("/v1/sync/pull?since=abc"), 400, "malformed-request"),
                ("list limit", try await api.get("/v1/conflicts?limit=5000"), 400, "malformed-request"),
                ("list cursor", try await api.get("/v1/inspections?cursor=zz"), 400, "malformed-request"),
                ("unknown path", try await api.get("/v1/nothing-here"), 404, "not-found"),
                ("wrong method", try await api.send(.DELETE, "/v1/sync/push"), 405, "method-not-allowed"),
                ("unknown inspection", try await api.get("/v1/inspections/\(UUID())"), 404, "not-found"),
                ("id that is no UUID", try await api.get("/v1/vehicles/not-an-id"), 404, "not-found"),
            ]
            for (name, answer, status, slug) in cases {
                #expect(answer.isProblem(status, slug), "\(name): \(answer.status) \(answer.json)")
            }
            let wrongMethod = try await api.send(.DELETE, "/v1/sync/push")
            #expect(wrongMethod.headers.first(name: "Allow") == "POST")
            let pull = try await tablet.pullAll()
            #expect(pull.changes.isEmpty, "nothing was half-written")
        }
    }

    @Test("tokens: none, unknown, revoked answer 401; a role that may not answers 403")
    func auth() async throws {
        try await TestServer.with { server in
            let admin = API(baseURL: server.baseURL, token: try await server.token("acme", .admin))
            let device = API(baseURL: server.baseURL, token: try await server.token("acme", .device))
            let integration = API(baseURL: server.baseURL, token: try await server.token("acme", .integration))
            #expect(try await API(baseURL: server.baseURL).get("/v1/sync/pull").isProblem(401, "unauthorized"))
            #expect(try await API(baseURL: server.baseURL, token: "rvt_0_x").get("/v1/sync/pull").isProblem(401))
            #expect(try await device.post("/v1/tokens", ["role": "admin"]).isProblem(403, "forbidden"))
            #expect(try await integration.get("/v1/sync/pull").isProblem(403, "forbidden"))
            #expect(try await integration.get("/v1/inspections").status == 200)

            let created = try await admin.post("/v1/tokens", ["role": "device", "name": "tablet-3"])
            #expect(created.status == 201)
            let secret = try #require(created["token"]?.stringValue)
            let id = try #require(created["id"]?.stringValue)
            let fresh = API(baseURL: server.baseURL, token: secret)
            #expect(try await fresh.get("/v1/sync/pull").status == 200)
            let listed = try await admin.get("/v1/tokens")
            #expect(listed["data"]?.arrayValue?.contains { $0.objectValue?["name"] == "tablet-3" } == true)
            #expect(listed["nextCursor"] == .null)
            #expect(
                listed["data"]?.arrayValue?.allSatisfy { $0.objectValue?["token"] == nil } == true,
                "a token's secret is shown once"
            )
            #expect(try await admin.send(.DELETE, "/v1/tokens/\(id)").status == 204)
            #expect(try await fresh.get("/v1/sync/pull").isProblem(401, "unauthorized"))
            #expect(try await admin.send(.DELETE, "/v1/tokens/\(UUID())").isProblem(404, "not-found"))
        }
    }

    @Test("invalid mutations are rejected one by one and never block the rest of the batch")
    func rejectedMutations() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let scenario = Scenario()
            _ = try await tablet.push(scenario.create(on: &tablet))
            let inspection = JSONValue.string(scenario.inspection)
            let cases: [(JSONValue, String)] = [
                (tablet.mutation("gearbox", UUID().uuidString, [:]), "unknown-entity"),
                (
                    tablet.mutation("vehicle", UUID().uuidString, ["plate": "X", "vin": "WVWZZZ1JZXW00000I"]),
                    "validation"
                ),
                (tablet.mutation("vehicle", UUID().uuidString, ["plate": "X", "year": 1700]), "validation"),
                (tablet.mutation("customer", UUID().uuidString, ["name": "A", "shoeSize": 44]), "validation"),
                (tablet.mutation("customer", UUID().uuidString, ["name": 42]), "validation"),
                (tablet.mutation("customer", "not-a-uuid", ["name": "A"]), "validation"),
                (
                    tablet.mutation("item", scenario.item("battery"), ["inspectionId": inspection, "code": "wipers"]),
                    "item-id-mismatch"
                ),
                (
                    tablet.mutation(
                        "item",
                        scenario.item("gearbox_oil"),
                        ["inspectionId": inspection, "code": "gearbox_oil", "status": "ok"]
                    ), "validation"
                ),
                (
                    tablet.mutation(
                        "item",
                        scenario.item("lights"),
                        [
                            "inspectionId": inspection, "code": "lights",
                            "photos": .array([.string(String(repeating: "a", count: 64))]),
                        ]
                    ),
                    "attachment-missing"
                ),
                (
                    tablet.mutation(
                        "item",
                        scenario.item("horn"),
                        [
                            "inspectionId": inspection, "code": "horn",
                            "note": .string(String(repeating: "n", count: 5000)),
                        ]
                    ),
                    "validation"
                ),
                (
                    tablet.mutation("inspection", UUID().uuidString, ["vehicleId": .string(UUID().uuidString)]),
                    "reference-missing"
                ),
                (tablet.mutation("item", scenario.item("brake_pads_front"), [:], op: "delete"), "validation"),
                (tablet.mutation("vehicle", scenario.vehicle, [:], op: "delete"), "reference-exists"),
            ]
            let good = tablet.mutation(
                "item",
                scenario.item("wipers"),
                ["inspectionId": inspection, "code": "wipers", "status": "ok"]
            )
            let answer = try await tablet.push(cases.map(\.0) + [good])
            #expect(answer.status == 200)
            let results = answer["results"]?.arrayValue?.compactMap(\.objectValue) ?? []
            for (result, (_, slug)) in zip(results, cases) {
                #expect(
                    result["status"] == "rejected" && result["error"]?.objectValue?["type"] == .string(slug),
                    "\(slug): \(result)"
                )
                #expect(result["error"]?.objectValue?["detail"]?.stringValue?.isEmpty == false)
            }
            #expect(results.last?["status"] == "applied", "a rejected mutation never blocks the rest")
            #expect(answer["lastMutationId"] == .int(tablet.nextId - 1))
        }
    }
}
