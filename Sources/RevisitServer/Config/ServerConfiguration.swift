import Foundation
import RevisitModel

/// Everything `revisit-server serve` can be told (DESIGN section 11), with the defaults a workshop gets when it
/// says nothing. Built by the executable from flags and environment, and by tests directly.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// A SQLite path (the embedded default) or, later, a `postgres://` URL.
    public var database = "./revisit.sqlite"
    /// Where attachment files live.
    public var dataDir = "./revisit-data"
    public var schedulerInterval: Duration = .seconds(1)
    public var webhookRetrySchedule: [Duration] = [
        .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000),
        .seconds(36000),
    ]
    /// How long a webhook receiver has to answer.
    public var webhookTimeout: Duration = .seconds(10)
    /// How long tombstones (and kept mutation outcomes) live before the purge removes them.
    public var tombstoneHorizon: Duration = .seconds(90 * 86400)
    /// How often the purge runs.
    public var purgeInterval: Duration = .seconds(3600)
    public var claimLease: Duration = .seconds(30)
    public var allowPrivateWebhooks = false
    public var limits = Limits()
    /// The time source; tests pass a ``TestWallClock``.
    public var clock: any WallClock = SystemWallClock()

    /// Request size limits (DESIGN section 10).
    public struct Limits: Sendable {
        public var pushBytes = 5 * 1_048_576
        public var pushMutations = 1000
        public var jsonBytes = 1_048_576
        public var attachmentBytes = 20 * 1_048_576
        public init() {}
    }

    public init() {}
}

extension Duration {
    /// Seconds as a `TimeInterval`, for date arithmetic.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
