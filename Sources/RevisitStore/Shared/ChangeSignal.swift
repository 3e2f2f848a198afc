import Foundation
import Synchronization

/// What a store tells the server's waiters (DESIGN section 4, "Waiting for changes"): a tenant's version moved, on
/// this instance or, with PostgreSQL, on any; or signals may have been missed (a listener reconnected), so every
/// waiter should look again.
public enum ChangeSignal: Sendable, Equatable {
    case committed(tenantId: Int64, version: Int64)
    case recheck
}

/// The commits of one process, told after they are durable (SQLite: after the transaction commits), to whoever
/// listens. Holds no database resource.
public final class CommitFeed: Sendable {
    private let listeners = Mutex<[UInt64: AsyncStream<ChangeSignal>.Continuation]>([:])
    private let nextId = Atomic<UInt64>(0)

    public init() {}

    public func publish(_ signal: ChangeSignal) {
        for continuation in listeners.withLock({ Array($0.values) }) { continuation.yield(signal) }
    }

    /// A stream of every later signal; it ends its registration when the consumer stops.
    public func signals() -> AsyncStream<ChangeSignal> {
        let id = nextId.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(
            of: ChangeSignal.self,
            bufferingPolicy: .bufferingNewest(1024)
        )
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.removeValue(forKey: id) }
        }
        listeners.withLock { $0[id] = continuation }
        return stream
    }
}
