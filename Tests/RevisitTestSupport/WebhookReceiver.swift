import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A CRM's webhook endpoint on a loopback port: records every request and answers as a test scripts it
/// (`503` for the first attempts of an event, `410`, …).
public final class WebhookReceiver: Sendable {
    public struct Received: Sendable {
        public var id: String
        public var timestamp: String
        public var signature: String
        public var body: [UInt8]
        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
        public var type: String { json["type"] as? String ?? "" }
    }

    /// What the router's handler and the test share.
    final class Recorder: Sendable {
        let received = Mutex<[Received]>([])
        let script: Mutex<@Sendable (Received, Int) -> Int>
        /// Requests of each webhook-id being answered now, and how often one arrived while another was.
        let inFlight = Mutex<(current: [String: Int], overlaps: Int)>(([:], 0))
        let delay: Duration
        init(delay: Duration, _ script: @escaping @Sendable (Received, Int) -> Int) {
            self.script = Mutex(script)
            self.delay = delay
        }
    }

    public let url: String
    private let recorder: Recorder
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts a receiver; `answer` gets each request and how many times its webhook-id was seen before, and returns
    /// the status to answer (204 by default) after `delay` (a slow CRM keeps deliveries in flight).
    public static func start(
        delay: Duration = .zero,
        answer: @escaping @Sendable (Received, Int) -> Int = { _, _ in 204 }
    ) async throws
        -> WebhookReceiver
    {
        let recorder = Recorder(delay: delay, answer)
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 10 * 1_048_576)
            let entry = Received(
                id: request.headers[.init("webhook-id")!] ?? "",
                timestamp: request.headers[.init("webhook-timestamp")!] ?? "",
                signature: request.headers[.init("webhook-signature")!] ?? "",
                body: Array(buffer: body)
            )
            let seen = recorder.received.withLock { list in
                defer { list.append(entry) }
                return list.filter { $0.id == entry.id }.count
            }
            let status = recorder.script.withLock { $0 }(entry, seen)
            if recorder.delay > .zero {
                recorder.inFlight.withLock { state in
                    if state.current[entry.id, default: 0] > 0 { state.overlaps += 1 }
                    state.current[entry.id, default: 0] += 1
                }
                defer { recorder.inFlight.withLock { $0.current[entry.id, default: 1] -= 1 } }
                try? await Task.sleep(for: recorder.delay)
            }
            return Response(status: .init(code: status))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return WebhookReceiver(url: "http://127.0.0.1:\(port)/hook", recorder: recorder, group: group, task: task)
    }

    private init(
        url: String,
        recorder: Recorder,
        group: ServiceGroup,
        task: Task<Void, any Error>
    ) {
        self.url = url
        self.recorder = recorder
        self.group = group
        self.task = task
    }

    public var requests: [Received] { recorder.received.withLock { $0 } }

    /// How many requests arrived while another of the same webhook-id was still being answered (with a delay set).
    public var overlaps: Int { recorder.inFlight.withLock { $0.overlaps } }

    /// Requests being answered now (with a delay set).
    public var answering: Int { recorder.inFlight.withLock { $0.current.values.reduce(0, +) } }

    public func answer(with script: @escaping @Sendable (Received, Int) -> Int) {
        recorder.script.withLock { $0 = script }
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// Polls a condition until it holds or a deadline passes: for work that a background service finishes on its
/// own schedule (a delivery, a release). Not a way to let time pass: tests move the test clock for that.
public func eventually(
    _ what: String,
    timeout: Duration = .seconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TestFailure("timed out waiting for \(what)")
}
