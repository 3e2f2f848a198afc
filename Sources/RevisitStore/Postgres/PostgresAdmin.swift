import Foundation
import Logging
import PostgresNIO

/// Creating and dropping whole databases, for the test suites and benchmarks that give each server a fresh one, and
/// for an operator's first set-up.
public enum PostgresAdmin {
    /// Creates database `name` on the server of `url` and returns a URL for it (same credentials and options).
    public static func createDatabase(_ name: String, serverURL url: String) async throws -> String {
        try await run("CREATE DATABASE \"\(name)\"", serverURL: url)
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }

    /// Drops database `name`, closing its remaining connections.
    public static func dropDatabase(_ name: String, serverURL url: String) async throws {
        try await run("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", serverURL: url)
    }

    /// Ends the change listeners' connections to database `name` (every instance's), as a failover or an operator
    /// would: the listeners connect again and their waiters look again (issue 13).
    public static func terminateChangeListeners(database name: String, serverURL url: String) async throws {
        try await run(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = '\(PostgresChangeListener.applicationName)' AND datname = '\(name)'
            """,
            serverURL: url
        )
    }

    /// One connection, not a pool: nothing to run in the background for a single statement.
    private static func run(_ sql: String, serverURL url: String) async throws {
        let options = try PostgresOptions(url: url)
        var logger = Logger(label: "revisit.postgres-admin")
        logger.logLevel = .warning
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: options.host,
                port: options.port,
                username: options.username,
                password: options.password,
                database: options.database,
                tls: options.sslMode == .disable ? .disable : .prefer(try NIOSSLContext(configuration: tls))
            ),
            id: 1,
            logger: logger
        )
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
