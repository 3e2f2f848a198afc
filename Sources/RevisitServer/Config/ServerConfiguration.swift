import Foundation
import RevisitModel
import RevisitStore

/// Everything `revisit-server serve` can be told (DESIGN section 11), with the defaults a workshop gets when it
/// says nothing. Built by the executable from flags and environment, and by tests directly.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// A SQLite path (the embedded default) or a `postgres://` URL (several instances on one database).
    public var database = "./revisit.sqlite"
    /// Where attachment files live (and, with PostgreSQL, where uploads are hashed before they go to the database).
    public var dataDir = "./revisit-data"
    /// Where attachment bytes go; nil picks the backend's default: files with SQLite, the database with PostgreSQL.
    public var attachments: AttachmentPlacement?
    /// PostgreSQL connections per instance.
    public var databasePoolSize = 10
    /// The longest a PostgreSQL statement may run.
    public var statementTimeout: Duration = .seconds(30)
    /// How long start-up waits for PostgreSQL before it gives up with a message.
    public var databaseConnectTimeout: Duration = .seconds(30)
    /// How long a request waits for a database connection before it answers 503 during an outage.
    public var databaseRequestTimeout: Duration = .seconds(5)
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
    /// Facing the internet (DESIGN section 9).
    public var edge = Edge()
    /// The time source; tests pass a ``TestWallClock``.
    public var clock: any WallClock = SystemWallClock()

    /// Request size limits (DESIGN section 10).
    public struct Limits: Sendable {
        public var pushBytes = 5 * 1_048_576
        public var pushMutations = 1000
        public var jsonBytes = 1_048_576
        public var attachmentBytes = 20 * 1_048_576
        /// Pulls with `wait` and event streams held open at once on this instance, and per tenant.
        public var maxWaiting = 10_000
        public var maxWaitingPerTenant = 1_000
        /// The comment line that keeps an event stream open through proxies.
        public var streamHeartbeat: Duration = .seconds(15)
        public init() {}
    }

    /// TLS, proxies, connection limits and timeouts (DESIGN section 9, "On the open internet").
    public struct Edge: Sendable {
        /// Where users reach the server (`--public-url`); with `https` every answer carries HSTS. Nil:
        /// `http://HOST:PORT`.
        public var publicURL: String?
        /// PEM files; both or neither. With them the server speaks HTTPS only.
        public var tlsCertificate: String?
        public var tlsKey: String?
        /// Addresses or CIDRs whose `X-Forwarded-For` is believed.
        public var trustedProxies: [String] = []
        public var maxConnections = 10_000
        /// From a connection's opening to its first request's headers.
        public var headerTimeout: Duration = .seconds(10)
        /// A kept-alive connection with no request in progress.
        public var idleTimeout: Duration = .seconds(60)
        /// The longest pause while a request body arrives.
        public var bodyTimeout: Duration = .seconds(30)
        /// Wrong tokens from one address in a minute before 429.
        public var wrongTokensPerMinute = 20
        /// Unknown review-link tokens from one address in a minute before the page answers 429.
        public var unknownReviewTokensPerMinute = 30
        /// Failed console sign-ins from one address in a minute before the sign-in page answers 429.
        public var failedConsoleSignInsPerMinute = 10
        public init() {}
    }

    public init() {}

    /// Where attachment bytes are kept.
    public enum AttachmentPlacement: String, Sendable, CaseIterable {
        /// Under `--data-dir`: one instance (or a shared folder).
        case files
        /// In PostgreSQL: instances share no disk.
        case database
    }

    /// Whether `database` names PostgreSQL rather than a SQLite file.
    public var usesPostgres: Bool { PostgresOptions.isPostgresURL(database) }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for date arithmetic.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
