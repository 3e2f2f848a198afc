import Foundation
import RevisitModel
import Synchronization

/// Real time plus an offset the benchmark can jump, so that 10,000 follow-ups fall due at one instant while
/// everything else (timeouts, latencies) runs on the real clock.
final class OffsetClock: WallClock {
    private let offset = Mutex<TimeInterval>(0)

    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves "now" to `date`.
    func jump(to date: Date) { offset.withLock { $0 = date.timeIntervalSinceNow } }
}
