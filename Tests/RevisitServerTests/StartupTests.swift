import Foundation
import RevisitTestSupport
import Testing

/// What an operator sees when the server cannot start: a message naming the problem and a non-zero exit, never a
/// server that waits for ever.
@Suite("Start-up errors")
struct StartupTests {
    /// Runs `revisit-server serve` with `arguments`; returns its exit status and everything it printed.
    static func serve(_ arguments: [String]) async throws -> (Int32, String) {
        let server = try ServerProcess()
        defer { server.cleanUp() }
        let process = Process()
        process.executableURL = server.binary
        process.arguments =
            ["serve", "--host", "127.0.0.1", "--port", String(try ServerProcess.freePort())] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw TestFailure("revisit-server still running after 30 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }

    @Test("an unreachable PostgreSQL fails start-up within --database-connect-timeout, with a message")
    func unreachableDatabase() async throws {
        // A loopback port nobody listens on.
        let port = try ServerProcess.freePort()
        let started = ContinuousClock.now
        let (status, text) = try await Self.serve([
            "--database", "postgres://revisit:secret@127.0.0.1:\(port)/revisit?sslmode=disable",
            "--database-connect-timeout", "2s",
        ])
        #expect(status != 0)
        #expect(text.contains("could not reach PostgreSQL at postgres://revisit@127.0.0.1:\(port)/revisit"), "\(text)")
        #expect(!text.contains("secret"), "the password is never printed")
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test("a bad sslmode, and database attachments on SQLite, are refused with a message")
    func badOptions() async throws {
        let (status, text) = try await Self.serve(["--database", "postgres://u:p@127.0.0.1:1/db?sslmode=sometimes"])
        #expect(status != 0 && text.contains("sslmode must be one of"), "\(text)")
        let (sqlite, message) = try await Self.serve(["--attachments", "database"])
        #expect(sqlite != 0 && message.contains("--attachments database needs a PostgreSQL --database"), "\(message)")
    }
}
