import Foundation
import PostgresNIO

/// How the server reaches PostgreSQL: the URL of `--database` and the operator's limits.
public struct PostgresOptions: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// Connections per server instance; PostgreSQL's `max_connections` bounds the sum over instances.
    public var poolSize: Int
    /// The longest one statement may run before PostgreSQL cancels it; a stuck query answers 503 rather than hold a
    /// connection (and the tenant's row lock) forever.
    public var statementTimeout: Duration
    /// How long start-up waits for the database before it fails with a message (postgres-nio retries forever).
    public var connectTimeout: Duration
    /// How long a request waits for a connection or an answer during an outage before it answers 503.
    public var requestTimeout: Duration

    /// libpq's `sslmode` values that make sense for a server: `disable`, `prefer` (the default), `require` (encrypt,
    /// trust any certificate, as libpq does) and `verify-full` (encrypt and check the certificate and host name).
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Reads `postgres://user:password@host:port/database?sslmode=…`.
    public init(url text: String) throws {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw StoreError.validation("--database \"\(Self.redacted(text))\" is not a postgres:// URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.validation("the PostgreSQL URL names no host: postgres://user:password@host:5432/db")
        }
        self.host = host
        port = components.port ?? 5432
        username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : (path.removingPercentEncoding ?? path)
        sslMode = .prefer
        poolSize = 10
        statementTimeout = .seconds(30)
        connectTimeout = .seconds(30)
        requestTimeout = .seconds(5)
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    let allowed = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw StoreError.validation("sslmode must be one of \(allowed)")
                }
                sslMode = mode
            case "application_name", "connect_timeout": break
            default:
                throw StoreError.validation(
                    "the PostgreSQL URL parameter \"\(item.name)\" is not supported (sslmode is)"
                )
            }
        }
    }

    /// Whether `--database` names PostgreSQL rather than a SQLite file.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The URL without its password, for messages and logs.
    public static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }

    var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    func clientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(Self.tls(verify: false))
        case .require: tls = .require(Self.tls(verify: false))
        case .verifyCA, .verifyFull: tls = .require(Self.tls(verify: true))
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.maximumConnections = max(1, poolSize)
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        let milliseconds =
            statementTimeout.components.seconds * 1000
            + statementTimeout.components.attoseconds / 1_000_000_000_000_000
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", "\(milliseconds)"), ("application_name", "revisit-server"),
        ]
        return configuration
    }

    private static func tls(verify: Bool) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verify { configuration.certificateVerification = .none }
        return configuration
    }
}
