import Foundation
import RevisitClient
import RevisitModel
import RevisitTestSupport
import Testing

/// `revisit sync --watch` as a process: lines as changes arrive, a clean exit on Ctrl-C, a clear failure for a bad
/// token.
@Suite("revisit sync --watch", .serialized)
struct CLIWatchTests {
    @Test("prints a line per change as it arrives and exits 0 on SIGINT")
    func printsChangesAndStopsOnInterrupt() async throws {
        try await TestServer.with { server in
            let cli = CLI()
            let login = try await cli.run(["login", "--server", server.baseURL, "--token", try await server.token()])
            #expect(login.status == 0, "\(login.stderr)")
            let watching = try cli.start(["sync", "--watch"])
            try await Self.killedOnFailure(watching) {
                try await eventually("the watcher is up") { watching.stdoutSoFar.contains("up to date") }
                try await eventually("it listens") { watching.stderrSoFar.contains("watching for changes") }

                let other = try await ClientFixture.make(on: server)
                let id = try await other.startInspection()
                try await other.client.setItem(id, code: "brake_pads_front", ItemChange(status: .later))
                try await other.client.syncNow()
                try await eventually("the change is printed", timeout: .seconds(10)) {
                    watching.stdoutSoFar.contains(" rows (cursor ")
                }

                // An edit by another process on the same store goes up without a sync call.
                let edit = try await cli.run(["item", "set", id, "horn", "--status", "ok"])
                #expect(edit.status == 0, "\(edit.stderr)")
                try await eventually("the edit is sent", timeout: .seconds(10)) {
                    watching.stdoutSoFar.contains("sent 1 change")
                }
            }
            watching.interrupt()
            let result = try await watching.finish()
            #expect(result.status == 0, "\(result.stderr)")
            let status = try await cli.run(["status", "--json"])
            #expect(status.json.objectValue?["pending"] == 0)
        }
    }

    @Test("--json prints one object per line")
    func jsonLines() async throws {
        try await TestServer.with { server in
            let cli = CLI()
            _ = try await cli.run(["login", "--server", server.baseURL, "--token", try await server.token()])
            let watching = try cli.start(["sync", "--watch", "--json"])
            try await Self.killedOnFailure(watching) {
                try await eventually("it listens") { watching.stdoutSoFar.contains("\"listening\"") }
            }
            watching.interrupt()
            let result = try await watching.finish()
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map { try? JSONValue.parse(Data($0.utf8)) }
            #expect(lines.count >= 2 && lines.allSatisfy { $0 != nil })
            #expect(lines.first??.objectValue?["event"] == "synced")
            #expect(lines.first??.objectValue?["cursor"]?.stringValue != nil)
            #expect(lines.contains { $0?.objectValue?["channel"] == "stream" })
        }
    }

    @Test("a refused token exits 4 with a clear message")
    func refusedToken() async throws {
        try await TestServer.with { server in
            let cli = CLI()
            try await RevisitClient(storePath: cli.store).setServer(URL(string: server.baseURL)!, token: "rv_wrong")
            let result = try await cli.run(["sync", "--watch"])
            #expect(result.status == 4)
            #expect(result.stderr.contains("refused the token"))
        }
    }

    /// Runs `body`; when it fails, kills the watcher so that no process outlives the test.
    static func killedOnFailure(_ running: CLI.Running, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            running.kill()
            _ = try? await running.finish()
            throw error
        }
    }
}
