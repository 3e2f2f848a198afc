import AsyncHTTPClient
import Foundation

/// The API of one server with one token (the sync API with a device token; webhooks, in `SyncClient+Webhooks`, with an
/// admin token). Only talks to 127.0.0.1.
struct SyncClient: Sendable {
    let http: HTTPClient
    let baseURL: String
    let token: String

    init(http: HTTPClient, port: Int, token: String) {
        self.http = http
        self.baseURL = "http://127.0.0.1:\(port)"
        self.token = token
    }

    /// `POST /v1/sync/push` with a prebuilt body.
    func push(_ batch: PushBatch) async throws -> HTTPExchange {
        var request = HTTPClientRequest(url: baseURL + "/v1/sync/push")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(batch.body)
        return try await exchange(request)
    }

    /// Upserts `rows` (entity, id, fields) in one push of a new client `clientId`, the HLC growing along the batch so a
    /// later change of a row comes after its creation; every mutation must be applied.
    func pushRows(_ rows: [(String, String, [String: Any])], clientId: String, wall: Int64, what: String) async throws {
        let mutations: [[String: Any]] = rows.enumerated().map { index, row in
            [
                "id": index + 1, "entity": row.0, "entityId": row.1, "op": "upsert", "baseVersion": 0,
                "hlc": ["wall": Int(wall), "counter": index], "fields": row.2,
            ]
        }
        let body = try JSONSerialization.data(withJSONObject: ["clientId": clientId, "mutations": mutations])
        let answer = try await push(PushBatch(clientId: clientId, firstMutationId: 1, count: rows.count, body: body))
        guard answer.status == 200, let reply = try? JSONDecoder().decode(SyncReplies.Push.self, from: answer.body),
            reply.results.count == rows.count, reply.results.allSatisfy({ $0.status == "applied" })
        else { throw BenchError.http(what: what, status: answer.status, body: answer.bodyPreview) }
    }

    /// `GET /v1/sync/pull?since=CURSOR&limit=N` (no `since` = from the start).
    func pull(since cursor: String?, limit: Int) async throws -> HTTPExchange {
        var url = baseURL + "/v1/sync/pull?limit=\(limit)"
        if let cursor {
            let encoded = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
            url += "&since=\(encoded)"
        }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return try await exchange(request)
    }

    /// Whether `GET /health` answers 200.
    func isHealthy() async -> Bool {
        let request = HTTPClientRequest(url: baseURL + "/health")
        guard let response = try? await http.execute(request, timeout: .seconds(2)) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 20)
        return response.status.code == 200
    }

    /// Sends `request` and collects the whole answer, timed from sending to the last byte.
    func exchange(_ request: HTTPClientRequest) async throws -> HTTPExchange {
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await http.execute(request, timeout: .seconds(600))
        let buffer = try await response.body.collect(upTo: 512 << 20)
        let elapsed = start.duration(to: clock.now)
        return HTTPExchange(
            status: Int(response.status.code),
            body: Data(buffer.readableBytesView),
            seconds: elapsed.seconds
        )
    }
}
