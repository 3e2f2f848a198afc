import Synchronization

/// The webhook-ids seen so far, shared by all connections: how many deliveries each got, and whether one was
/// already printed.
final class SeenDeliveries: Sendable {
    private struct State {
        var attempts: [String: Int] = [:]
        var printed: Set<String> = []
    }

    private let state = Mutex(State())

    /// Counts a verified delivery of `id`: its attempt number, and whether an earlier one was already printed
    /// (deliveries past `failing` are the printed ones).
    func record(_ id: String, failing: Int) -> (attempt: Int, duplicate: Bool) {
        state.withLock { state in
            let attempt = (state.attempts[id] ?? 0) + 1
            state.attempts[id] = attempt
            guard attempt > failing else { return (attempt, false) }
            let duplicate = !state.printed.insert(id).inserted
            return (attempt, duplicate)
        }
    }
}
