import AsyncHTTPClient
import Foundation
import NIOCore
import RevisitModel
import RevisitTestSupport

/// An event stream as a tablet reads it: blocks separated by a blank line, each an event or a comment.
final class EventStreamClient: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var pending = ""
    let status: Int
    let contentType: String

    convenience init(baseURL: String, token: String) async throws {
        try await self.init(baseURL: baseURL, path: "/v1/sync/stream", headers: [("Authorization", "Bearer \(token)")])
    }

    /// Any stream of the server's, e.g. the console's `/console/changes` with its session cookie.
    init(baseURL: String, path: String, headers: [(String, String)]) async throws {
        var request = HTTPClientRequest(url: baseURL + path)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        status = Int(response.status.code)
        contentType = response.headers.first(name: "content-type") ?? ""
        iterator = response.body.makeAsyncIterator()
    }

    /// The next block (`event: …\ndata: …` or `: keep-alive`); nil when the server ended the stream.
    func next() async throws -> String? {
        while true {
            if let range = pending.range(of: "\n\n") {
                let block = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                return block
            }
            guard let buffer = try await iterator.next() else { return nil }
            pending += String(buffer: buffer)
        }
    }

    /// The cursor of the next `version` event, skipping comments.
    func nextCursor() async throws -> Int64? {
        while let block = try await next() {
            guard block.hasPrefix("event: version") else { continue }
            let data = block.split(separator: "\n").first { $0.hasPrefix("data: ") }?.dropFirst("data: ".count)
            let cursor = data.flatMap { try? JSONValue.parse(Data($0.utf8)) }?.objectValue?["cursor"]?.stringValue
            return cursor.flatMap { Int64($0) }
        }
        return nil
    }
}

/// A pull that waits, run in the background so the test can push meanwhile.
func heldPull(_ api: API, since: String, wait: Int) -> Task<(Answer, Duration), any Error> {
    Task {
        let started = ContinuousClock.now
        let answer = try await api.get("/v1/sync/pull?since=\(since)&wait=\(wait)")
        return (answer, ContinuousClock.now - started)
    }
}

/// The value of a Prometheus gauge on `/metrics`.
func metric(_ name: String, at baseURL: String) async throws -> Double {
    let text = String(decoding: try await API(baseURL: baseURL).get("/metrics").bytes, as: UTF8.self)
    let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
    return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
}
