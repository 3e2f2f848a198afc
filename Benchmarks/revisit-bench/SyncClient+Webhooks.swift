import AsyncHTTPClient
import Foundation

/// The webhook administration a CRM set-up needs; the client's token must be an admin token.
extension SyncClient {
    /// `POST /v1/webhook-endpoints`: registers `url` for `events`; returns the endpoint's id.
    func createWebhookEndpoint(url: String, events: [String]) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["url": url, "events": events, "description": "bench"])
        let exchange = try await post("/v1/webhook-endpoints", body: body)
        guard exchange.status == 201 else {
            throw BenchError.http(what: "create webhook endpoint", status: exchange.status, body: exchange.bodyPreview)
        }
        guard let json = try? JSONSerialization.jsonObject(with: exchange.body) as? [String: Any],
            let id = json["id"] as? String
        else { throw BenchError.badReply(what: "create webhook endpoint", detail: "no id in \(exchange.bodyPreview)") }
        return id
    }

    /// `POST /v1/webhook-endpoints/{id}/replay`: queues every event since `since` again; returns how many.
    func replayWebhookEndpoint(_ id: String, since: String) async throws -> Int {
        let body = try JSONSerialization.data(withJSONObject: ["since": since])
        let exchange = try await post("/v1/webhook-endpoints/\(id)/replay", body: body)
        guard exchange.status == 202 else {
            throw BenchError.http(what: "replay to \(id)", status: exchange.status, body: exchange.bodyPreview)
        }
        guard let json = try? JSONSerialization.jsonObject(with: exchange.body) as? [String: Any],
            let queued = json["queued"] as? Int
        else { throw BenchError.badReply(what: "replay to \(id)", detail: "no queued in \(exchange.bodyPreview)") }
        return queued
    }

    private func post(_ path: String, body: Data) async throws -> HTTPExchange {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(body)
        return try await exchange(request)
    }
}
