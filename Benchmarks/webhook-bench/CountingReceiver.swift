import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A CRM on loopback that answers 204 and remembers when each webhook-id first arrived and its body's timestamp.
final class CountingReceiver: Sendable {
    struct Arrival: Sendable {
        var at: ContinuousClock.Instant
        var type: String
        var eventTimestamp: String
    }

    let arrivals = Mutex<[String: Arrival]>([:])
    let total = Atomic<Int>(0)

    func router() -> Router<BasicRequestContext> {
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
            arrivals.withLock { if $0[id] == nil { $0[id] = arrival } }
            total.add(1, ordering: .relaxed)
            return .noContent
        }
        return router
    }

    func count(of type: String) -> Int { arrivals.withLock { $0.values.filter { $0.type == type }.count } }

    func arrivals(of type: String) -> [Arrival] { arrivals.withLock { $0.values.filter { $0.type == type } } }
}
