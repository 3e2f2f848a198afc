import Foundation
import OpenAPIRuntime
import RevisitModel

/// The stream could not be opened (an older server without it, a proxy that does not pass it, a full instance, no
/// connection): the watcher waits with long polls instead for a while.
struct StreamUnavailable: Error, Sendable {
    let reason: String
}

extension ServerAPI {
    /// Opens `GET /v1/sync/stream` and returns its body, which the transport streams as it arrives.
    ///
    /// Everything but a refused token (which no fallback fixes) is ``StreamUnavailable``, so that the watcher tries
    /// a long poll, which reports the server's own state (reachable or not) through the usual failures.
    func openStream() async throws -> HTTPBody {
        let output: Operations.syncStream.Output
        do {
            output = try await call { try await client.syncStream() }
        } catch let failure as ServerFailure {
            if case .refused = failure { throw failure }
            throw StreamUnavailable(reason: failure.reason)
        }
        switch output {
        case .ok(let ok): return try ok.body.text_event_hyphen_stream
        case .unauthorized(let answer): throw Self.refused(401, try? answer.body.application_problem_plus_json)
        case .forbidden(let answer): throw Self.refused(403, try? answer.body.application_problem_plus_json)
        case .serviceUnavailable: throw StreamUnavailable(reason: "HTTP 503")
        case .undocumented(let status, let payload):
            if case .refused = Self.undocumented(status, payload) { throw Self.undocumented(status, payload) }
            throw StreamUnavailable(reason: "HTTP \(status)")
        }
    }
}

/// The cursor in a `version` event's data, `{"cursor": "1302"}`.
struct StreamCursor: Decodable, Sendable {
    let cursor: String

    init?(_ event: ServerSentEvent) {
        guard event.type == "version",
            let decoded = try? JSONDecoder().decode(StreamCursor.self, from: Data(event.data.utf8))
        else { return nil }
        self = decoded
    }
}

/// Whether `announced` is newer than the store's `own` cursor. Cursors are opaque: the numeric form the server
/// writes today is compared as a number (so an older announcement arriving after a pull does not cost another
/// pull); any other form counts as newer when it differs.
func isCursor(_ announced: String, beyond own: String?) -> Bool {
    guard let own else { return true }
    if let new = Int64(announced), let old = Int64(own) { return new > old }
    return announced != own
}
