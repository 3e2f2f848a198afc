import Synchronization

/// What wakes a listening watcher, gathered in one place: the listener's announcements, nudges, the periodic check
/// and the listener's end. A doorbell that keeps only the newest ring coalesces a burst of announcements into one
/// sync; the state says what the rings were about.
final class WatchSignals: Sendable {
    enum Outcome: Sendable {
        case running
        case finished
        case failed(any Error)
    }

    struct Wake: Sendable {
        var announced: String?
        var nudged: Bool
        var outcome: Outcome
    }

    private struct State {
        var announced: String?
        var nudged = false
        var healthy = false
        var outcome = Outcome.running
        var lastByte = ContinuousClock.now
    }

    private let state = Mutex(State())
    let bell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation

    init() {
        (bell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The server announced this cursor (or a long poll came back with news).
    func announce(_ cursor: String) {
        state.withLock {
            $0.announced = cursor
            $0.healthy = true
        }
        ring.yield()
    }

    /// The server answered: the channel works, so the next failure starts the backoff from the beginning.
    func heard() { state.withLock { $0.healthy = true } }

    /// Someone asked for a sync now (a local edit, ``RevisitClient/nudge()``).
    func nudge() {
        state.withLock { $0.nudged = true }
        ring.yield()
    }

    /// The periodic look at the queue.
    func tick() { ring.yield() }

    func end(_ outcome: Outcome) {
        state.withLock { $0.outcome = outcome }
        ring.yield()
    }

    /// What happened since the last call; announcements and nudges are consumed.
    func take() -> Wake {
        state.withLock { state in
            defer {
                state.announced = nil
                state.nudged = false
            }
            return Wake(announced: state.announced, nudged: state.nudged, outcome: state.outcome)
        }
    }

    var isHealthy: Bool { state.withLock { $0.healthy } }

    /// Bytes arrived on the stream.
    func touched() { state.withLock { $0.lastByte = .now } }

    var quietFor: Duration { state.withLock { ContinuousClock.now - $0.lastByte } }
}

/// The watchers of one client, so that an edit through the client wakes them at once instead of at the next check.
final class WatchRegistry: Sendable {
    private let watching = Mutex<[ObjectIdentifier: WatchSignals]>([:])

    func add(_ signals: WatchSignals) { watching.withLock { $0[ObjectIdentifier(signals)] = signals } }
    func remove(_ signals: WatchSignals) { _ = watching.withLock { $0.removeValue(forKey: ObjectIdentifier(signals)) } }

    func nudgeAll() {
        for signals in watching.withLock({ Array($0.values) }) { signals.nudge() }
    }
}
