import Foundation
import NIOHTTP1
import RevisitModel
import RevisitTestSupport
import Testing

@testable import RevisitServer

/// Junk at every path: whatever arrives, the answer is never a 5xx (a 5xx is a bug) and always problem+json.
@Suite("No 5xx for any input")
struct NoServerErrorTests {
    static let bodies: [String] = [
        "", "null", "[]", "{}", "0", "\"x\"", "{\"clientId\": null}", "{\"mutations\": {}}",
        "{\"clientId\": \"3f9c1d2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f\", \"mutations\": [{\"id\": 1e300}]}",
        "{\"clientId\": \"3f9c1d2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f\", \"mutations\": [{\"id\": 1, \"entity\": \"item\", \"entityId\": \"x\", \"op\": \"upsert\", \"baseVersion\": -5, \"hlc\": {\"wall\": -1, \"counter\": 99999999}, \"fields\": {\"status\": [[[]]]}}]}",
        "{\"clientId\": \"3f9c1d2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f\", \"mutations\": [{\"id\": 1, \"entity\": \"inspection\", \"entityId\": \"3f9c1d2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f\", \"op\": \"delete\", \"baseVersion\": 9223372036854775807, \"hlc\": {\"wall\": 9223372036854775807, \"counter\": 0}}]}",
        "{\"value\": {\"deep\": [1, 2, {\"x\": null}]}}", "{\"role\": \"root\"}", "{\"name\": \"n\", \"items\": []}",
        "{\"outcome\": \"booked\", \"appointmentAt\": \"not a date\"}", "{\"url\": \"http://[::1\"}",
        "{\"since\": \"2026-99-99T00:00:00Z\"}", "{\"timeZone\": \"\", \"kmPerDay\": -1}", "\u{0}\u{1}\u{2}",
        String(repeating: "[", count: 5000),
    ]

    @Test("random bodies, ids and queries at every route answer below 500, as problem+json when they fail")
    func junkEverywhere() async throws {
        try await TestServer.with { server in
            let admin = API(baseURL: server.baseURL, token: try await server.token("acme", .admin))
            let device = API(baseURL: server.baseURL, token: try await server.token("acme", .device))
            var rng = SplitMix64(seed: 2026)
            let ids = ["x", UUID().uuidString, "%00", String(repeating: "a", count: 300), "..%2F..%2Fetc"]
            let queries = [
                "/v1/sync/push", "/v1/sync/pull?since=%ff&limit=-1", "/v1/conflicts?resolved=maybe",
                "/v1/conflicts/ID/resolve", "/v1/tokens", "/v1/tokens/ID", "/v1/templates/ID?version=x",
                "/v1/inspections?state=&vehicleId=ID&cursor=-1", "/v1/inspections/ID", "/v1/vehicles?plate=&vin=ID",
                "/v1/vehicles/ID", "/v1/customers/ID", "/v1/attachments/ID", "/v1/followups?dueBefore=ID",
                "/v1/followups/ID", "/v1/followups/ID/outcome", "/v1/settings", "/v1/events?after=ID",
                "/v1/reports/followups?from=ID", "/v1/webhook-endpoints", "/v1/webhook-endpoints/ID",
                "/v1/webhook-endpoints/ID/rotate-secret", "/v1/webhook-endpoints/ID/deliveries",
                "/v1/webhook-endpoints/ID/replay",
            ]
            // Every route of the table too, so a new path is junk-tested without being added here.
            let tablePaths = RouteTable.all.map {
                $0.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "ID", options: .regularExpression)
            }
            let paths = queries + tablePaths.filter { !queries.contains($0) }
            let methods: [HTTPMethod] = [.GET, .POST, .PUT, .PATCH, .DELETE, .HEAD]
            var checked = 0
            for path in paths {
                for _ in 0..<6 {
                    let id = ids.randomElement(using: &rng)!
                    let method = methods.randomElement(using: &rng)!
                    let body = Self.bodies.randomElement(using: &rng)!
                    let api = Bool.random(using: &rng) ? admin : device
                    let type = ["application/json", "text/plain", "image/jpeg"].randomElement(using: &rng)!
                    let answer = try await api.send(
                        method,
                        path.replacingOccurrences(of: "ID", with: id),
                        raw: method == .GET || method == .HEAD ? nil : Array(body.utf8),
                        contentType: type
                    )
                    #expect(
                        answer.status < 500,
                        "\(method) \(path) [\(id)] \(body.prefix(60)): \(answer.status) \(answer.json)"
                    )
                    if answer.status >= 400, method != .HEAD {
                        #expect(
                            answer.contentType.hasPrefix("application/problem+json"),
                            "\(method) \(path): \(answer.contentType)"
                        )
                    }
                    checked += 1
                }
            }
            #expect(checked == paths.count * 6)
        }
    }
}
