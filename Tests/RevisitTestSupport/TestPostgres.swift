import Foundation
import RevisitStore
import Testing

/// The PostgreSQL the tests may use: `scripts/test.sh` starts a throwaway cluster and passes its URL as
/// `REVISIT_TEST_DATABASE_URL`. Every store or server under test gets a database of its own, dropped afterwards.
public enum TestPostgres {
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment["REVISIT_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the end-to-end suites run their servers on PostgreSQL instead of SQLite (the second pass of
    /// `scripts/test.sh`).
    public static var endToEndOnPostgres: Bool {
        ProcessInfo.processInfo.environment["REVISIT_TEST_E2E_BACKEND"] == "postgres"
    }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A fresh, empty database; returns its URL and how to drop it.
    public static func freshDatabase() async throws -> (url: String, drop: @Sendable () async -> Void) {
        guard let server = serverURL else {
            throw TestFailure("REVISIT_TEST_DATABASE_URL is unset: run the tests with scripts/test.sh")
        }
        let name = "revisit_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // With every suite making databases at once on a loaded machine, CREATE DATABASE can fail for a moment
        // (template1 busy, a connection refused); that is the harness, not the code under test, so it tries again,
        // and a last failure says what PostgreSQL said (PSQLError's description hides it).
        var attempt = 0
        while true {
            attempt += 1
            do {
                let url = try await PostgresAdmin.createDatabase(name, serverURL: server)
                return (url, { try? await PostgresAdmin.dropDatabase(name, serverURL: server) })
            } catch {
                guard attempt < 4 else {
                    throw TestFailure("CREATE DATABASE failed \(attempt) times: \(String(reflecting: error))")
                }
                print("TestPostgres: CREATE DATABASE failed (attempt \(attempt)): \(String(reflecting: error))")
                try await Task.sleep(for: .milliseconds(500 * attempt))
            }
        }
    }

    /// The visible line for a run without PostgreSQL: cancelled (shown as skipped) on a developer's machine, a
    /// failure in CI.
    public static func requireConfigured() throws {
        guard serverURL == nil else { return }
        if isCI {
            Issue.record("CI=true but REVISIT_TEST_DATABASE_URL is unset: the PostgreSQL tests cannot run")
        } else {
            try Test.cancel("REVISIT_TEST_DATABASE_URL is unset: PostgreSQL tests skipped (scripts/test.sh sets it)")
        }
    }
}
