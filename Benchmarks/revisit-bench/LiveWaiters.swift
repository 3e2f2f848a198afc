import AsyncHTTPClient
import Foundation
import NIOCore

/// Idle tablets as the live benchmark holds them: long polls that ask again as soon as they are answered, and event
/// streams that read whatever comes. Each counts what it saw, so the run can tell that they were really held.
enum LiveWaiters {
    /// A tablet that long-polls `wait=60` from `cursor` until cancelled.
    static func poll(_ client: SyncClient, cursor: String) async {
        var cursor = cursor
        while !Task.isCancelled {
            var request = HTTPClientRequest(url: client.baseURL + "/v1/sync/pull?since=\(cursor)&wait=60&limit=1")
            request.headers.add(name: "Authorization", value: "Bearer \(client.token)")
            guard let response = try? await client.http.execute(request, timeout: .seconds(90)),
                let body = try? await response.body.collect(upTo: 1 << 20)
            else {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            if let next = object?["cursor"] as? String { cursor = next }
        }
    }

    /// Opens `GET /v1/sync/stream` and hands each `version` event's cursor to `seen`, until cancelled.
    static func stream(_ client: SyncClient, seen: @Sendable (Int64) -> Void = { _ in }) async throws {
        var request = HTTPClientRequest(url: client.baseURL + "/v1/sync/stream")
        request.headers.add(name: "Authorization", value: "Bearer \(client.token)")
        let response = try await client.http.execute(request, timeout: .hours(2))
        guard response.status.code == 200 else {
            throw BenchError.server("GET /v1/sync/stream answered \(response.status.code)")
        }
        var pending = ""
        for try await buffer in response.body {
            pending += String(buffer: buffer)
            while let range = pending.range(of: "\n\n") {
                let block = pending[..<range.lowerBound]
                if block.hasPrefix("event: version"), let start = block.range(of: "\"cursor\":\"") {
                    let digits = block[start.upperBound...].prefix { $0.isNumber }
                    if let cursor = Int64(digits) { seen(cursor) }
                }
                pending.removeSubrange(..<range.upperBound)
            }
        }
    }

    /// The value of a gauge on `/metrics`.
    static func metric(_ name: String, _ client: SyncClient) async -> Double {
        let request = HTTPClientRequest(url: client.baseURL + "/metrics")
        guard let response = try? await client.http.execute(request, timeout: .seconds(10)),
            let body = try? await response.body.collect(upTo: 8 << 20)
        else { return 0 }
        let line = String(buffer: body).split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }
}

/// What the probe stream saw: the highest cursor, and who waits for which.
final class ProbeCursor: @unchecked Sendable {
    private let lock = NSLock()
    private var highest: Int64 = 0
    private var waiting: [(Int64, CheckedContinuation<Void, Never>)] = []

    func saw(_ cursor: Int64) {
        lock.lock()
        highest = max(highest, cursor)
        let ready = waiting.filter { $0.0 <= highest }
        waiting.removeAll { $0.0 <= highest }
        lock.unlock()
        for (_, continuation) in ready { continuation.resume() }
    }

    /// Returns once a cursor of at least `version` was seen.
    func reach(_ version: Int64) async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if highest >= version {
                lock.unlock()
                continuation.resume()
                return
            }
            waiting.append((version, continuation))
            lock.unlock()
        }
    }
}
