import Foundation
import Hummingbird
import Synchronization

/// A CRM on loopback for the benchmarks: answers 204 to `POST /hook` and remembers when each `webhook-id` first
/// arrived, its body's `type` and `timestamp`. Counts every request too, so that a delivery sent twice shows.
public final class CountingReceiver: Sendable {
    public struct Arrival: Sendable {
        public var at: ContinuousClock.Instant
        public var type: String
        public var eventTimestamp: String
    }

    private struct State {
        var arrivals: [String: Arrival] = [:]
        /// Distinct webhook-ids per event type.
        var distinct: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let requests = Atomic<Int>(0)

    public init() {}

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/hook") { [self] request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1_048_576)
            let id = request.headers[.init("webhook-id")!] ?? ""
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let arrival = Arrival(
                at: .now,
                type: json["type"] as? String ?? "",
                eventTimestamp: json["timestamp"] as? String ?? ""
            )
            state.withLock {
                if $0.arrivals[id] == nil {
                    $0.arrivals[id] = arrival
                    $0.distinct[arrival.type, default: 0] += 1
                }
            }
            requests.add(1, ordering: .relaxed)
            return .noContent
        }
        return router
    }

    /// Distinct webhook-ids received of event type `type`.
    public func count(of type: String) -> Int { state.withLock { $0.distinct[type] ?? 0 } }

    /// The first arrival of each distinct webhook-id of event type `type`.
    public func arrivals(of type: String) -> [Arrival] {
        state.withLock { $0.arrivals.values.filter { $0.type == type } }
    }

    /// Every `POST /hook` so far, a webhook-id sent twice counted twice.
    public var totalRequests: Int { requests.load(ordering: .relaxed) }

    /// Distinct webhook-ids received, of any type.
    public var distinctRequests: Int { state.withLock { $0.arrivals.count } }
}
