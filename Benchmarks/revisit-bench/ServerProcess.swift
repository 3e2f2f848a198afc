import AsyncHTTPClient
import Foundation

/// One `revisit-server serve` child process on a free loopback port, with its own database and data folder.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let logPath: String

    var pid: Int32 { process.processIdentifier }

    private init(process: Process, port: Int, logPath: String) {
        self.process = process
        self.port = port
        self.logPath = logPath
    }

    /// `revisit-server token create --tenant SLUG --role ROLE --database PATH-OR-URL`: the token is the last line of
    /// stdout.
    static func createToken(
        binary: URL,
        database: String,
        tenant: String,
        role: String = "device",
        logPath: String
    ) throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["token", "create", "--tenant", tenant, "--role", role, "--database", database]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try appendingHandle(logPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
            let token = text.split(whereSeparator: \.isNewline).last.map(String.init), !token.isEmpty
        else {
            throw BenchError.server(
                "token create exited with \(process.terminationStatus); stdout: \(text); see \(logPath)"
            )
        }
        return token.trimmingCharacters(in: .whitespaces)
    }

    /// A server on a fresh SQLite database in `root` (its log there too, attachments under `root/data`), with a
    /// token of `role` for the tenant `shop`: how the single-server modes start.
    static func startOnSQLite(
        binary: URL,
        root: String,
        http: HTTPClient,
        role: String = "admin"
    ) async throws -> (server: ServerProcess, token: String) {
        let database = root + "/revisit.sqlite"
        let logPath = root + "/server.log"
        let token = try createToken(binary: binary, database: database, tenant: "shop", role: role, logPath: logPath)
        let server = try await start(
            binary: binary,
            database: database,
            dataDir: root + "/data",
            logPath: logPath,
            healthy: { port in await SyncClient(http: http, port: port, token: token).isHealthy() }
        )
        return (server, token)
    }

    /// Starts `serve` on a free port and waits for `GET /health` to answer 200 (a few tries, in case another
    /// program takes the port between finding and binding it). `extraArguments` go to `serve` as they are.
    static func start(
        binary: URL,
        database: String,
        dataDir: String,
        logPath: String,
        extraArguments: [String] = [],
        healthy: @Sendable (Int) async -> Bool
    ) async throws -> ServerProcess {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            let process = Process()
            process.executableURL = binary
            process.arguments =
                [
                    "serve", "--host", "127.0.0.1", "--port", String(port), "--database", database, "--data-dir",
                    dataDir,
                ] + extraArguments
            let log = try appendingHandle(logPath)
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let server = ServerProcess(process: process, port: port, logPath: logPath)
            ProcessRegistry.shared.add(server.pid)
            do {
                try await server.waitUntilHealthy(healthy)
                return server
            } catch {
                lastError = error
                await server.stop()
            }
        }
        throw lastError ?? BenchError.server("the server did not start")
    }

    private func waitUntilHealthy(_ healthy: @Sendable (Int) async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw BenchError.server(
                    "the server exited with status \(process.terminationStatus) before answering /health:\n\(logTail())"
                )
            }
            if await healthy(port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError.server("the server did not answer GET /health within 60 s:\n\(logTail())")
    }

    /// Peak (`VmHWM`) and current (`VmRSS`) resident memory from `/proc/PID/status`, in kB.
    func memory() -> (peakKB: Int, residentKB: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var peak: Int?
        var resident: Int?
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2 else { continue }
            if parts[0] == "VmHWM:" { peak = Int(parts[1]) }
            if parts[0] == "VmRSS:" { resident = Int(parts[1]) }
        }
        guard let peak, let resident else { return nil }
        return (peak, resident)
    }

    /// SIGTERM, then wait up to 20 s for a clean exit, then SIGKILL.
    func stop() async {
        defer { ProcessRegistry.shared.remove(pid) }
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<200 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning {
            kill(pid, SIGKILL)
            for _ in 0..<50 where process.isRunning {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// The last lines of the server's log.
    func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Log lines at level error or critical (swift-log's stream handler writes the level as a word).
    func errorLogLines() -> [String] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { $0.contains(" error") || $0.contains(" critical") }.map(String.init)
    }

    private static func appendingHandle(_ path: String) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw BenchError.server("cannot write the log \(path)")
        }
        handle.seekToEndOfFile()
        return handle
    }
}
