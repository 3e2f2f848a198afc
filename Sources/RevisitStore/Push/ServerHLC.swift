import Foundation
import RevisitModel
import Synchronization

/// The server's hybrid logical clock: it receives every pushed HLC so that the clock it hands back in push and pull
/// answers orders a slow tablet's next edit after everything the tablet has seen, and it stamps writes whose clock
/// ran too far ahead (DESIGN section 4).
public final class ServerHLC: Sendable {
    private let state = Mutex(HybridLogicalClock())
    private let clock: any WallClock

    public init(clock: any WallClock) { self.clock = clock }

    /// The highest reading handed out so far, every stored stamp included: what a store persists with each push, so
    /// that after a restart the clock continues from there even if the wall clock went back.
    public var highest: HLC { state.withLock { $0.last } }

    /// Moves the clock up to `stored`, the highest reading persisted by an earlier run; a lower one changes nothing.
    public func restore(_ stored: HLC) {
        state.withLock { if stored > $0.last { $0 = HybridLogicalClock(last: stored) } }
    }

    /// The clock's current reading, advanced past physical time.
    public func now() -> HLC {
        let millis = clock.nowMillis()
        return state.withLock { $0.tick(physicalMillis: millis) }
    }

    /// A writer's own reading, taken inside the tenant's lock: the later of this clock and `stored`, the tenant's
    /// persisted highest (another instance may have stamped above this one's clock).
    func begin(stored: HLC) -> PushStamps {
        let millis = clock.nowMillis()
        let last = state.withLock { $0.last }
        return PushStamps(last: max(last, stored), physicalMillis: millis)
    }

    /// Moves the clock past what a writer's kept run handed out.
    func commit(_ stamps: PushStamps) { restore(stamps.highest) }
}
