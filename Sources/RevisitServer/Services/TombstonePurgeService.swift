import Logging
import RevisitModel
import RevisitStore
import ServiceLifecycle

/// Removes tombstones and kept mutation outcomes older than the horizon, periodically, for every tenant. Cursors
/// older than what it removed answer 410 from then on (DESIGN section 4).
struct TombstonePurgeService: Service {
    let store: any SyncStore
    let horizon: Duration
    let interval: Duration
    let clock: any WallClock
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await runOnce()
                try await Task.sleep(for: interval)
            }
        }
    }

    func runOnce() async {
        do {
            let removed = try await store.purge(before: clock.now().addingTimeInterval(-horizon.timeInterval))
            if removed > 0 {
                ServerMetrics.tombstonesPurged.increment(by: removed)
                logger.info("purged tombstones", metadata: ["count": "\(removed)"])
            }
        } catch {
            logger.error("tombstone purge failed", metadata: ["error": "\(error)"])
        }
    }
}
