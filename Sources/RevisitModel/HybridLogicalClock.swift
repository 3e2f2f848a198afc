/// The hybrid logical clock of one node (a tablet or the server), after Kulkarni et al., "Logical Physical
/// Clocks" (2014).
///
/// It stays close to physical time but never goes backwards, even when the physical clock does, and after
/// ``receive(_:physicalMillis:)`` it is ahead of everything it has seen. Physical time is passed in, so callers
/// inject their clock and tests control it.
///
/// When the counter would pass ``HLC/maxCounter`` (more than 65,536 events in one millisecond, or a long run of
/// events while the physical clock lags), the clock moves its `wall` on by 1 ms and restarts the counter at 0:
/// the result is still greater than every earlier reading, at the price of running up to that many ms ahead.
public struct HybridLogicalClock: Sendable {
    /// The latest reading this clock has given out.
    public private(set) var last: HLC

    public init(last: HLC = .zero) {
        self.last = last
    }

    /// Reads the clock for a local event or a send.
    ///
    /// - Parameter physicalMillis: the physical clock, in Unix milliseconds.
    /// - Returns: a reading greater than every earlier one.
    public mutating func tick(physicalMillis: Int64) -> HLC {
        if physicalMillis > last.wall {
            last = HLC(wall: physicalMillis, counter: 0)
        } else {
            last = Self.advanced(wall: last.wall, counter: last.counter + 1)
        }
        return last
    }

    /// Merges a reading received from another node (the server's `hlc` in a push or pull answer, or a
    /// mutation's `hlc` on the server).
    ///
    /// - Parameters:
    ///   - remote: the other node's reading.
    ///   - physicalMillis: the physical clock, in Unix milliseconds.
    /// - Returns: a reading greater than both every earlier reading and `remote`.
    public mutating func receive(_ remote: HLC, physicalMillis: Int64) -> HLC {
        let wall = max(last.wall, remote.wall, physicalMillis)
        let counter: Int
        if wall == last.wall && wall == remote.wall {
            counter = max(last.counter, remote.counter) + 1
        } else if wall == last.wall {
            counter = last.counter + 1
        } else if wall == remote.wall {
            counter = remote.counter + 1
        } else {
            counter = 0
        }
        last = Self.advanced(wall: wall, counter: counter)
        return last
    }

    /// Carries a counter past ``HLC/maxCounter`` into the next millisecond.
    private static func advanced(wall: Int64, counter: Int) -> HLC {
        counter > HLC.maxCounter ? HLC(wall: wall + 1, counter: 0) : HLC(wall: wall, counter: counter)
    }
}
