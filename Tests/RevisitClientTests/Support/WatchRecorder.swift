import Foundation
import RevisitClient
import Synchronization

/// A running ``RevisitClient/watch(_:)`` and the events it reported so far, so a test can wait on them.
final class WatchRecorder: Sendable {
    private final class Log: Sendable {
        let events = Mutex<[WatchEvent]>([])
    }

    private let log = Log()
    private let task: Task<Void, any Error>

    /// Quick enough for tests, through the real backoff and check code.
    static let quick = WatchOptions(
        pendingCheckInterval: .milliseconds(200),
        backoff: RetryPolicy(maxRetries: .max, baseDelay: .milliseconds(50), maxDelay: .milliseconds(200))
    )

    init(_ client: RevisitClient, options: WatchOptions = quick) {
        let stream = client.watch(options)
        task = Task { [log] in
            for try await event in stream { log.events.withLock { $0.append(event) } }
        }
    }

    var events: [WatchEvent] { log.events.withLock { $0 } }

    func saw(_ predicate: (WatchEvent) -> Bool) -> Bool { events.contains(where: predicate) }

    var isListening: Bool {
        saw { if case .listening = $0 { true } else { false } }
    }

    /// Cancels the watch and waits for the sequence to end; it must end without an error.
    func stop() async throws {
        task.cancel()
        try await task.value
    }
}
