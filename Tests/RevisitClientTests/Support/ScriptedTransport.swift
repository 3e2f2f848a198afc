import Foundation
import HTTPTypes
import OpenAPIRuntime
import RevisitClient
import Synchronization

/// A transport that records every request and can make chosen ones fail, around the client's real transport:
/// a network error before sending, an answer lost after the server processed the request (what a killed process
/// or a dropped connection looks like), or a made-up status such as 503 or 429.
final class ScriptedTransport: ClientTransport {
    enum Fault: Sendable {
        /// Throw without sending.
        case networkError
        /// Send, let the server process it, then throw as if the answer never came.
        case loseAnswer
        /// Answer this status without sending, with these headers.
        case status(Int, [String: String])
    }

    /// A request as it was sent: method, path (without the query) and operation.
    struct Sent: Sendable, Hashable {
        var method: String
        var path: String
        var operation: String
    }

    private let inner: any ClientTransport
    private let state = Mutex<(sent: [Sent], faults: [String: [Fault]], hooks: [String: @Sendable () async -> Void])>(
        ([], [:], [:])
    )

    init(_ inner: any ClientTransport = RevisitClient.defaultTransport()) { self.inner = inner }

    /// Queues faults for the next requests of an operation (`syncPush`, `syncPull`, `headAttachment`, …).
    func fail(_ operation: String, with faults: Fault...) {
        state.withLock { $0.faults[operation, default: []].append(contentsOf: faults) }
    }

    /// Runs `hook` once, before the next request of `operation` is sent.
    func before(_ operation: String, _ hook: @escaping @Sendable () async -> Void) {
        state.withLock { $0.hooks[operation] = hook }
    }

    var sent: [Sent] { state.withLock { $0.sent } }
    func sent(_ operation: String) -> [Sent] { sent.filter { $0.operation == operation } }
    func reset() { state.withLock { $0.sent = [] } }

    func send(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String
    ) async throws -> (
        HTTPResponse, HTTPBody?
    ) {
        let (fault, hook) = state.withLock { state -> (Fault?, (@Sendable () async -> Void)?) in
            let path = String((request.path ?? "").split(separator: "?").first ?? "")
            state.sent.append(Sent(method: request.method.rawValue, path: path, operation: operationID))
            let hook = state.hooks.removeValue(forKey: operationID)
            guard var queue = state.faults[operationID], !queue.isEmpty else { return (nil, hook) }
            let fault = queue.removeFirst()
            state.faults[operationID] = queue
            return (fault, hook)
        }
        if let hook { await hook() }
        switch fault {
        case nil:
            return try await inner.send(request, body: body, baseURL: baseURL, operationID: operationID)
        case .networkError:
            throw URLError(.networkConnectionLost)
        case .loseAnswer:
            let (_, answer) = try await inner.send(request, body: body, baseURL: baseURL, operationID: operationID)
            if let answer { _ = try await Data(collecting: answer, upTo: 64 * 1_048_576) }
            throw URLError(.networkConnectionLost)
        case .status(let code, let headers):
            var fields = HTTPFields()
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            return (HTTPResponse(status: .init(code: code), headerFields: fields), nil)
        }
    }
}
