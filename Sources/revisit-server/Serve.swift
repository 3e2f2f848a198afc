import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RevisitServer

/// `revisit-server serve`: flags as DESIGN section 11; `REVISIT_DATABASE`, `REVISIT_HOST`, `REVISIT_PORT` and the
/// `REVISIT_*` variables named in the help stand in for their flags.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server, the scheduler and the purge.")

    @Option(help: "Address to listen on (env REVISIT_HOST).") var host: String?
    @Option(help: "Port to listen on (env REVISIT_PORT).") var port: Int?
    @Option(help: "SQLite file, or a postgres:// URL (env REVISIT_DATABASE).") var database: String?
    @Option(help: "Folder for attachments (env REVISIT_DATA_DIR).") var dataDir: String?
    @Option(help: "Where attachment bytes go: files (under --data-dir) or database (PostgreSQL's default).")
    var attachments: String?
    @Option(help: "PostgreSQL connections per instance (env REVISIT_DATABASE_POOL_SIZE, default 10).")
    var databasePoolSize: Int?
    @Option(help: "Longest PostgreSQL statement, e.g. 30s (env REVISIT_STATEMENT_TIMEOUT).")
    var statementTimeout: String?
    @Option(help: "How long start-up waits for PostgreSQL, e.g. 30s (env REVISIT_DATABASE_CONNECT_TIMEOUT).")
    var databaseConnectTimeout: String?
    @Option(help: "How often the scheduler looks for due follow-ups, e.g. 1s.") var schedulerInterval: String?
    @Option(help: "Webhook retry delays, e.g. 5s,5min,30min,2h,5h,10h,10h.") var webhookRetrySchedule: String?
    @Option(help: "How long tombstones are kept, e.g. 90d.") var tombstoneHorizon: String?
    @Option(help: "Lease of claimed work with several instances, e.g. 30s.") var claimLease: String?
    @Flag(help: "Allow webhook endpoints on loopback and private addresses.") var allowPrivateWebhooks = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error (env LOG_LEVEL).") var logLevel: String?
    @Option(help: "Where users reach the server, e.g. https://garage.example (env REVISIT_PUBLIC_URL).")
    var publicUrl: String?
    @Option(help: "Certificate chain (PEM) to serve HTTPS with; read again on SIGHUP (env REVISIT_TLS_CERT).")
    var tlsCert: String?
    @Option(help: "Private key (PEM) of --tls-cert (env REVISIT_TLS_KEY).") var tlsKey: String?
    @Option(
        parsing: .upToNextOption,
        help: "Addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (env REVISIT_TRUSTED_PROXY)."
    )
    var trustedProxy: [String] = []
    @Option(help: "Most connections open at once; more are refused (env REVISIT_MAX_CONNECTIONS, default 10000).")
    var maxConnections: Int?
    @Option(help: "How long a new connection may take to send its request headers, e.g. 10s.") var headerTimeout:
        String?
    @Option(help: "How long a kept-alive connection may wait for its next request, e.g. 60s.") var idleTimeout: String?
    @Option(help: "The longest pause while a request body arrives, e.g. 30s.") var bodyTimeout: String?
    @Option(help: "Pulls with wait and event streams held at once (env REVISIT_MAX_WAITING, default 10000).")
    var maxWaiting: Int?
    @Option(help: "Of those, per tenant (env REVISIT_MAX_WAITING_PER_TENANT, default 1000).")
    var maxWaitingPerTenant: Int?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = ServerConfiguration()
        configuration.host = host ?? environment["REVISIT_HOST"] ?? configuration.host
        if let port = try port ?? environment["REVISIT_PORT"].map(Self.port) { configuration.port = port }
        configuration.database = database ?? environment["REVISIT_DATABASE"] ?? configuration.database
        configuration.dataDir = dataDir ?? environment["REVISIT_DATA_DIR"] ?? configuration.dataDir
        if let text = attachments ?? environment["REVISIT_ATTACHMENTS"] {
            guard let placement = ServerConfiguration.AttachmentPlacement(rawValue: text) else {
                throw ValidationError("--attachments is files or database")
            }
            configuration.attachments = placement
        }
        if let size = try databasePoolSize ?? environment["REVISIT_DATABASE_POOL_SIZE"].map(Self.poolSize) {
            guard (1...1000).contains(size) else { throw ValidationError("--database-pool-size is 1…1000") }
            configuration.databasePoolSize = size
        }
        if let text = statementTimeout ?? environment["REVISIT_STATEMENT_TIMEOUT"] {
            configuration.statementTimeout = try Self.duration(text, "--statement-timeout")
        }
        if let text = databaseConnectTimeout ?? environment["REVISIT_DATABASE_CONNECT_TIMEOUT"] {
            configuration.databaseConnectTimeout = try Self.duration(text, "--database-connect-timeout")
        }
        if let text = schedulerInterval {
            configuration.schedulerInterval = try Self.duration(text, "--scheduler-interval")
        }
        if let text = tombstoneHorizon {
            configuration.tombstoneHorizon = try Self.duration(text, "--tombstone-horizon")
        }
        if let text = claimLease ?? environment["REVISIT_CLAIM_LEASE"] {
            configuration.claimLease = try Self.duration(text, "--claim-lease")
        }
        // A lease shorter than the webhook timeout would let a second instance send a delivery still in flight.
        guard configuration.claimLease > configuration.webhookTimeout else {
            throw ValidationError("--claim-lease must be longer than the webhook timeout (10s)")
        }
        if let text = webhookRetrySchedule {
            guard let schedule = DurationText.parseList(text) else {
                throw ValidationError("--webhook-retry-schedule takes a comma list of durations such as 1s,2s,5s")
            }
            configuration.webhookRetrySchedule = schedule
        }
        configuration.allowPrivateWebhooks = allowPrivateWebhooks
        try readEdge(into: &configuration.edge, environment: environment)
        try readWaiting(into: &configuration.limits, environment: environment)

        var logger = Logger(label: "revisit")
        let level = logLevel ?? environment["LOG_LEVEL"] ?? "info"
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        let scheme = configuration.edge.tlsCertificate == nil ? "http" : "https"
        let host = configuration.host
        // One line on stdout once the port is bound: with --port 0 it is the only way to learn the port, and
        // scripts (and the tests) wait for it rather than polling a port another process may hold.
        let app = try await buildApplication(configuration: configuration, logger: logger) { port in
            FileHandle.standardOutput.write(Data("revisit-server listening on \(scheme)://\(host):\(port)\n".utf8))
        }
        try await app.runService()
    }

    private func readWaiting(into limits: inout ServerConfiguration.Limits, environment: [String: String]) throws {
        if let text = maxWaiting.map(String.init) ?? environment["REVISIT_MAX_WAITING"] {
            guard let limit = Int(text), limit > 0 else { throw ValidationError("--max-waiting is a number ≥ 1") }
            limits.maxWaiting = limit
        }
        if let text = maxWaitingPerTenant.map(String.init) ?? environment["REVISIT_MAX_WAITING_PER_TENANT"] {
            guard let limit = Int(text), limit > 0 else {
                throw ValidationError("--max-waiting-per-tenant is a number ≥ 1")
            }
            limits.maxWaitingPerTenant = limit
        }
    }

    private func readEdge(into edge: inout ServerConfiguration.Edge, environment: [String: String]) throws {
        edge.publicURL = publicUrl ?? environment["REVISIT_PUBLIC_URL"]
        edge.tlsCertificate = tlsCert ?? environment["REVISIT_TLS_CERT"]
        edge.tlsKey = tlsKey ?? environment["REVISIT_TLS_KEY"]
        edge.trustedProxies =
            trustedProxy.isEmpty ? (environment["REVISIT_TRUSTED_PROXY"].map { [$0] } ?? []) : trustedProxy
        if let text = maxConnections.map(String.init) ?? environment["REVISIT_MAX_CONNECTIONS"] {
            guard let limit = Int(text), limit > 0 else { throw ValidationError("--max-connections is a number ≥ 1") }
            edge.maxConnections = limit
        }
        if let headerTimeout { edge.headerTimeout = try Self.duration(headerTimeout, "--header-timeout") }
        if let idleTimeout { edge.idleTimeout = try Self.duration(idleTimeout, "--idle-timeout") }
        if let bodyTimeout { edge.bodyTimeout = try Self.duration(bodyTimeout, "--body-timeout") }
    }

    static func duration(_ text: String, _ flag: String) throws -> Duration {
        guard let duration = DurationText.parse(text) else {
            throw ValidationError("\(flag) takes a duration such as 500ms, 1s, 5min, 2h or 90d")
        }
        return duration
    }

    static func poolSize(_ text: String) throws -> Int {
        guard let size = Int(text) else { throw ValidationError("REVISIT_DATABASE_POOL_SIZE must be a number") }
        return size
    }

    static func port(_ text: String) throws -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ValidationError("REVISIT_PORT must be a port number")
        }
        return port
    }
}
