import Metrics
import Synchronization

/// The waiting side of sync (DESIGN section 12): how many pulls and streams wait, and how often commits wake them.
enum LiveMetrics {
    static let wakeUps = Metrics.Counter(label: "revisit_sync_wakeups_total")
    static let refused = Metrics.Counter(label: "revisit_sync_waits_refused_total")
    private static let heldPolls = Metrics.Gauge(label: "revisit_sync_held_polls")
    private static let streams = Metrics.Gauge(label: "revisit_sync_streams")
    private static let pollCount = Atomic<Int>(0)
    private static let streamCount = Atomic<Int>(0)

    static func poll(started: Bool) {
        heldPolls.record(pollCount.add(started ? 1 : -1, ordering: .relaxed).newValue)
    }

    static func stream(started: Bool) {
        streams.record(streamCount.add(started ? 1 : -1, ordering: .relaxed).newValue)
    }
}
