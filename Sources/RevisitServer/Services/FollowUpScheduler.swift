import Logging
import RevisitModel
import RevisitStore
import ServiceLifecycle

/// Releases follow-ups whose release moment has come, within one tick. Its state is the database (a follow-up is
/// `scheduled` until the transaction that releases it commits), so a restart loses nothing and releases nothing
/// twice; the query reads only due rows through a partial index.
struct FollowUpScheduler: Service {
    let store: any SyncStore
    let clock: any WallClock
    let interval: Duration
    let logger: Logger
    static let batch = 500

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Releases everything due now, in batches; returns how many.
    @discardableResult
    func tick() async -> Int {
        var total = 0
        do {
            while true {
                let released = try await store.releaseDueFollowups(now: clock.now(), limit: Self.batch)
                total += released
                if released < Self.batch { break }
            }
        } catch is CancellationError {
            // Shutdown: the transaction rolled back and the next instance (or start) releases them.
        } catch let error as StoreError where error.kind == .unavailable {
            logger.warning("follow-up release waits for the database", metadata: ["error": "\(error)"])
        } catch {
            if !Task.isCancelled { logger.error("follow-up release failed", metadata: ["error": "\(error)"]) }
        }
        if total > 0 { logger.info("follow-ups released", metadata: ["count": "\(total)"]) }
        return total
    }
}
