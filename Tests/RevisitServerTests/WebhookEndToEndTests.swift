import Foundation
import RevisitModel
import RevisitServer
import RevisitTestSupport
import Testing

/// Deliveries to a receiver on loopback (the only address tests ever register).
@Suite("Webhook delivery")
struct WebhookEndToEndTests {
    static func configure(_ configuration: inout ServerConfiguration) {
        configuration.allowPrivateWebhooks = true
        configuration.schedulerInterval = .milliseconds(20)
        configuration.webhookRetrySchedule = [.seconds(1), .seconds(1)]
    }

    @Test("deliveries are signed per Standard Webhooks; 503 twice gets the same webhook-id until it succeeds")
    func signedAndRetried() async throws {
        let receiver = try await WebhookReceiver.start { _, seen in seen < 2 ? 503 : 204 }
        defer { Task { await receiver.stop() } }
        try await TestServer.with(Self.configure) { server in
            var shop = try await FollowUpEndToEndTests.Workshop(server)
            let created = try await shop.admin.post(
                "/v1/webhook-endpoints",
                ["url": .string(receiver.url), "events": ["*"], "description": "CRM"]
            )
            #expect(created.status == 201)
            let secret = try #require(created["secret"]?.stringValue)
            let endpoint = try #require(created["id"]?.stringValue)
            #expect(secret.hasPrefix("whsec_"))
            try await shop.closeInspection()

            // Each failed attempt is retried one (test) second later.
            try await eventually("every event delivered after two 503s") {
                server.clock.advance(by: 2)
                let ids = Set(receiver.requests.map(\.id))
                return ids.count >= 4 && ids.allSatisfy { id in receiver.requests.filter { $0.id == id }.count >= 3 }
            }
            // Each attempt as its receiver checked it on arrival: the test clock has moved on since (by how many
            // rounds a loaded machine took), which says nothing of the signature.
            for request in receiver.requests {
                let sentAt = Date(timeIntervalSince1970: TimeInterval(request.timestamp) ?? 0)
                #expect(
                    StandardWebhooks.verify(
                        secret: secret,
                        id: request.id,
                        timestamp: request.timestamp,
                        signatureHeader: request.signature,
                        body: request.body,
                        now: sentAt
                    )
                )
            }
            let bodies = Dictionary(grouping: receiver.requests, by: \.id).mapValues { Set($0.map(\.body)) }
            #expect(bodies.values.allSatisfy { $0.count == 1 }, "the same bytes on every attempt")
            let feed = try await shop.integration.get("/v1/events?limit=100")
            let feedIds = Set(feed["data"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } ?? [])
            #expect(Set(receiver.requests.map(\.id)).isSubset(of: feedIds), "webhook-id is the event id")
            try await eventually("deliveries recorded as succeeded") {
                let list = try await shop.admin.get("/v1/webhook-endpoints/\(endpoint)/deliveries?state=succeeded")
                return (list["data"]?.arrayValue?.count ?? 0) >= 4
            }
            let list = try await shop.admin.get("/v1/webhook-endpoints/\(endpoint)/deliveries")
            let delivery = try #require(list["data"]?.arrayValue?.first?.objectValue)
            #expect(delivery["attempts"] == 3 && delivery["lastStatusCode"] == 204)
            #expect(try await shop.tablet.api.get("/v1/webhook-endpoints").isProblem(403, "forbidden"))
        }
    }

    @Test("a receiver down through every attempt leaves failed deliveries that replay delivers with the same ids")
    func failedThenReplayed() async throws {
        let receiver = try await WebhookReceiver.start { _, _ in 500 }
        defer { Task { await receiver.stop() } }
        try await TestServer.with(Self.configure) { server in
            var shop = try await FollowUpEndToEndTests.Workshop(server)
            let start = server.clock.now()
            let created = try await shop.admin.post("/v1/webhook-endpoints", ["url": .string(receiver.url)])
            let endpoint = try #require(created["id"]?.stringValue)
            try await shop.closeInspection()
            try await eventually("every delivery failed") {
                server.clock.advance(by: 2)
                let failed = try await shop.admin.get("/v1/webhook-endpoints/\(endpoint)/deliveries?state=failed")
                let pending = try await shop.admin.get("/v1/webhook-endpoints/\(endpoint)/deliveries?state=pending")
                return (failed["data"]?.arrayValue?.count ?? 0) >= 4 && pending["data"] == []
            }
            let failedIds = Set(receiver.requests.map(\.id))
            #expect(receiver.requests.count == failedIds.count * 3, "one attempt and two retries each")
            receiver.answer { _, _ in 204 }
            let since = RFC3339DateTime.string(from: start.addingTimeInterval(-1))
            let replay = try await shop.admin.post(
                "/v1/webhook-endpoints/\(endpoint)/replay",
                ["since": .string(since)]
            )
            #expect(replay.status == 202 && (replay["queued"]?.intValue ?? 0) >= Int64(failedIds.count))
            try await eventually("the replay delivered") {
                let succeeded = try await shop.admin.get("/v1/webhook-endpoints/\(endpoint)/deliveries?state=succeeded")
                return (succeeded["data"]?.arrayValue?.count ?? 0) >= failedIds.count
            }
            let delivered = Set(receiver.requests.suffix(from: failedIds.count * 3).map(\.id))
            #expect(failedIds.isSubset(of: delivered), "replayed with the same webhook-ids")
        }
    }

    @Test("410 disables the endpoint; rotation signs with both secrets; private addresses need the flag")
    func endpointsAdministration() async throws {
        let receiver = try await WebhookReceiver.start { _, _ in 410 }
        defer { Task { await receiver.stop() } }
        try await TestServer.with(Self.configure) { server in
            var shop = try await FollowUpEndToEndTests.Workshop(server)
            let created = try await shop.admin.post(
                "/v1/webhook-endpoints",
                ["url": .string(receiver.url), "events": ["inspection.closed"]]
            )
            let endpoint = try #require(created["id"]?.stringValue)
            let old = try #require(created["secret"]?.stringValue)
            #expect(try await shop.admin.post("/v1/webhook-endpoints", ["url": "ftp://127.0.0.1/x"]).isProblem(422))
            #expect(
                try await shop.admin.post(
                    "/v1/webhook-endpoints",
                    ["url": .string(receiver.url), "events": ["tyre.changed"]]
                ).isProblem(422)
            )
            let rotated = try await shop.admin.post("/v1/webhook-endpoints/\(endpoint)/rotate-secret", [:])
            let new = try #require(rotated["secret"]?.stringValue)
            #expect(new != old)
            try await shop.closeInspection()
            try await eventually("the endpoint is disabled by 410") {
                try await shop.admin.get("/v1/webhook-endpoints/\(endpoint)")["enabled"] == false
            }
            #expect(
                receiver.requests.count == 1 && receiver.requests[0].type == "inspection.closed",
                "only its subscribed type, and nothing after the 410"
            )
            let request = receiver.requests[0]
            #expect(request.signature.split(separator: " ").count == 2)
            for secret in [old, new] {
                #expect(
                    StandardWebhooks.verify(
                        secret: secret,
                        id: request.id,
                        timestamp: request.timestamp,
                        signatureHeader: request.signature,
                        body: request.body,
                        now: server.clock.now()
                    )
                )
            }
            let patched = try await shop.admin.send(
                .PATCH,
                "/v1/webhook-endpoints/\(endpoint)",
                json: ["enabled": true]
            )
            #expect(patched["enabled"] == true)
            #expect(try await shop.admin.send(.DELETE, "/v1/webhook-endpoints/\(endpoint)").status == 204)
            #expect(try await shop.admin.get("/v1/webhook-endpoints/\(endpoint)").isProblem(404))
        }
        try await TestServer.with { server in
            let admin = API(baseURL: server.baseURL, token: try await server.token("acme", .admin))
            #expect(
                try await admin.post("/v1/webhook-endpoints", ["url": .string(receiver.url)]).isProblem(
                    422,
                    "validation"
                ),
                "loopback is refused without --allow-private-webhooks"
            )
        }
    }
}
