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

    private static func run(_ sql: String, serverURL url: String) async throws {
        var options = try PostgresOptions(url: url)
        options.poolSize = 1
        var logger = Logger(label: "revisit.postgres-admin")
        logger.logLevel = .warning
        let client = PostgresClient(configuration: options.clientConfiguration(), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
        }
    }
}
