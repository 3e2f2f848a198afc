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

    /// The clock's current reading, advanced past physical time.
    public func now() -> HLC {
        let millis = clock.nowMillis()
        return state.withLock { $0.tick(physicalMillis: millis) }
    }

    /// Takes in a client's HLC; returns the stamp to store and whether it had to be clamped.
    public func stamp(_ remote: HLC) -> (hlc: HLC, clamped: Bool) {
        let millis = clock.nowMillis()
        if HLCClamp.isTooFarAhead(remote, serverMillis: millis) {
            return (state.withLock { $0.tick(physicalMillis: millis) }, true)
        }
        state.withLock { _ = $0.receive(remote, physicalMillis: millis) }
        return (remote, false)
    }
}
