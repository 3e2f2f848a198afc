import Crypto
import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

@Suite("Attachments, deletes and the tombstone horizon")
struct AttachmentAndHorizonTests {
    static func sha(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    @Test("uploads are content-addressed, idempotent, verified and per tenant; photos must be uploaded first")
    func attachments() async throws {
        try await TestServer.with({ $0.limits.attachmentBytes = 64 * 1024 }) { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let other = API(baseURL: server.baseURL, token: try await server.token("other"))
            let photo: [UInt8] = [0xFF, 0xD8, 0xFF] + (0..<5000).map { UInt8($0 % 251) }
            let hash = Self.sha(photo)
            let path = "/v1/attachments/\(hash)"
            #expect(try await tablet.api.send(.HEAD, path).status == 404)
            #expect(try await tablet.api.send(.PUT, path, raw: photo, contentType: "image/jpeg").status == 201)
            #expect(try await tablet.api.send(.PUT, path, raw: photo, contentType: "image/jpeg").status == 200)
            #expect(try await tablet.api.send(.HEAD, path).status == 200)
            let get = try await tablet.api.get(path)
            #expect(get.bytes == photo && get.contentType == "image/jpeg")
            let etag = try #require(get.headers.first(name: "ETag"))
            #expect(try await tablet.api.send(.GET, path, headers: [("If-None-Match", etag)]).status == 304)
            #expect(try await other.send(.HEAD, path).status == 404)
            #expect(try await other.get(path).isProblem(404, "not-found"))
            #expect(
                try await other.send(.PUT, path, raw: photo, contentType: "image/jpeg").status == 201,
                "the other tenant's own first upload"
            )

            let wrong = "/v1/attachments/\(String(repeating: "0", count: 64))"
            #expect(
                try await tablet.api.send(.PUT, wrong, raw: photo, contentType: "image/jpeg")
                    .isProblem(422, "hash-mismatch")
            )
            #expect(try await tablet.api.send(.HEAD, wrong).status == 404, "nothing was kept")
            #expect(
                try await tablet.api.send(.PUT, path, raw: photo, contentType: "text/plain")
                    .isProblem(415, "unsupported-media-type")
            )
            let huge = [UInt8](repeating: 7, count: 70 * 1024)
            #expect(
                try await tablet.api.send(
                    .PUT,
                    "/v1/attachments/\(Self.sha(huge))",
                    raw: huge,
                    contentType: "video/mp4"
                ).isProblem(413, "payload-too-large")
            )
            #expect(
                try await tablet.api.send(.PUT, "/v1/attachments/xyz", raw: photo, contentType: "image/jpeg")
                    .isProblem(400, "malformed-request")
            )

            let scenario = Scenario()
            var mutations = scenario.create(on: &tablet)
            mutations.append(
                tablet.mutation(
                    "item",
                    scenario.item("windscreen"),
                    [
                        "inspectionId": .string(scenario.inspection), "code": "windscreen", "status": "later",
                        "photos": .array([.string(hash.uppercased())]),
                    ]
                )
            )
            let answer = try await tablet.push(mutations)
            #expect(answer["results"]?.arrayValue?.last?.objectValue?["status"] == "applied")
            let detail = try await tablet.api.get("/v1/inspections/\(scenario.inspection)")
            let windscreen = detail["items"]?.arrayValue?.compactMap(\.objectValue).first { $0["code"] == "windscreen" }
            #expect(windscreen?["photos"] == .array([.string(hash)]))
        }
    }

    @Test("deleting an inspection tombstones its items; edits of deleted rows are rejected and logged")
    func deletes() async throws {
        try await TestServer.with { server in
            let token = try await server.token()
            var a = Tablet(API(baseURL: server.baseURL, token: token))
            var b = Tablet(API(baseURL: server.baseURL, token: token))
            let scenario = Scenario()
            _ = try await a.push(scenario.create(on: &a))
            let item = scenario.item("brake_pads_front")
            let deleted = try await a.push([a.mutation("inspection", scenario.inspection, [:], base: 4, op: "delete")])
            #expect(deleted["results"]?.arrayValue?.first?.objectValue?["status"] == "applied")
            let rows = try await a.pullAll().changes
            #expect(rows[scenario.inspection]?["deleted"] == true && rows[item]?["deleted"] == true)
            #expect(try await a.api.get("/v1/inspections/\(scenario.inspection)").isProblem(404))

            let late = try await b.push([b.mutation("item", item, ["status": "now"], base: 4)])
            let result = late["results"]?.arrayValue?.first?.objectValue
            #expect(result?["error"]?.objectValue?["type"] == "entity-deleted")
            #expect(result?["conflicts"]?.arrayValue?.first?.objectValue?["rule"] == "delete-wins")
            let vehicleGone = try await a.push([a.mutation("vehicle", scenario.vehicle, [:], base: 2, op: "delete")])
            #expect(
                vehicleGone["results"]?.arrayValue?.first?.objectValue?["status"] == "applied",
                "nothing live refers to the vehicle any more"
            )
        }
    }

    @Test("after the purge, older cursors answer 410 and deleted ids stay deleted")
    func horizon() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let customer = UUID().uuidString.lowercased()
            _ = try await tablet.push([tablet.mutation("customer", customer, ["name": "Gone soon"])])
            _ = try await tablet.push([tablet.mutation("customer", customer, [:], base: 1, op: "delete")])
            _ = try await tablet.push([tablet.mutation("customer", UUID().uuidString.lowercased(), ["name": "Stays"])])
            server.clock.advance(by: 91 * 86400)
            let removed = try await server.store.purge(before: server.clock.now().addingTimeInterval(-90 * 86400))
            #expect(removed == 1)
            #expect(try await tablet.api.get("/v1/sync/pull?since=1").isProblem(410, "cursor-expired"))
            #expect(try await tablet.api.get("/v1/sync/pull?since=2").status == 200)
            #expect(
                try await tablet.api.get("/v1/sync/pull?since=99").isProblem(410, "cursor-expired"),
                "a cursor ahead of the server (a restored database)"
            )
            let fresh = try await tablet.pullAll()
            #expect(fresh.changes.count == 1 && fresh.changes[customer] == nil)
            let again = try await tablet.push([tablet.mutation("customer", customer, ["name": "Back?"], base: 0)])
            #expect(
                again["results"]?.arrayValue?.first?.objectValue?["error"]?.objectValue?["type"] == "entity-deleted"
            )
        }
    }

    @Test("a clock far ahead is clamped; health, readiness and metrics answer without a token")
    func clampAndObservability() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            tablet.wall = Int64(server.clock.now().timeIntervalSince1970 * 1000) + 3_600_000
            let answer = try await tablet.push([tablet.mutation("customer", UUID().uuidString, ["name": "Future"])])
            #expect(answer["results"]?.arrayValue?.first?.objectValue?["hlcClamped"] == true)
            let open = API(baseURL: server.baseURL)
            #expect(try await open.get("/health").status == 200)
            #expect(try await open.get("/ready").status == 200)
            let metrics = try await open.get("/metrics")
            let text = String(decoding: metrics.bytes, as: UTF8.self)
            #expect(metrics.status == 200 && text.contains("revisit_mutations_total"))
            #expect(text.contains("revisit_hlc_clamped_total"))
            #expect(answer.headers.first(name: "X-Request-Id")?.isEmpty == false)
        }
    }
}
