import Foundation
import Synchronization

/// The source of "now" for everything that depends on time (HLC clamping, horizons, due dates), injected so that
/// tests move time forward instead of sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

extension WallClock {
    /// The current time in Unix milliseconds, the unit of ``HLC/wall``.
    public func nowMillis() -> Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// The real clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when a test tells it to.
public final class TestWallClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_764_000_000)) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward (or back, to simulate a skewed device).
    public func advance(by interval: TimeInterval) { current.withLock { $0 += interval } }

    /// Sets the clock to an absolute time.
    public func set(_ date: Date) { current.withLock { $0 = date } }
}
