import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `revisit-server` binary, killed with SIGKILL mid-push: a push is all or nothing, and an acknowledged
/// push survives.
@Suite("kill -9", .serialized)
struct CrashSafetyTests {
    @Test("a push interrupted by kill -9 leaves all or none of it; an acknowledged push survives")
    func killDuringPush() async throws {
        let server = try ServerProcess()
        defer { server.cleanUp() }
        let token = try server.createToken()
        var acknowledged: [String: Int] = [:]
        var interrupted: [String: Int] = [:]
        for round in 0..<4 {
            try await server.start()
            var tablet = Tablet(API(baseURL: server.baseURL, token: token))
            let ids = (0..<500).map { _ in UUID().uuidString.lowercased() }
            let mutations = ids.map { tablet.mutation("customer", $0, ["name": .string("Customer \(round)")]) }
            let push = Task { try? await tablet.push(mutations) }
            if round % 2 == 0 {
                try await Task.sleep(for: .milliseconds(5 + 15 * round))
                server.kill()
                // A connection refused mid-retry would otherwise wait for the request deadline.
                push.cancel()
                let answer = await push.value
                if answer?.status == 200 { acknowledged[ids[0]] = round } else { interrupted[ids[0]] = round }
            } else {
                let answer = await push.value
                #expect(answer?.status == 200)
                server.kill()
                acknowledged[ids[0]] = round
            }
            try await server.start()
            let rows = try await Tablet(API(baseURL: server.baseURL, token: token)).pullAll().changes
            let present = ids.filter { rows[$0] != nil }.count
            #expect(present == 0 || present == 500, "round \(round): \(present) of 500 rows")
            if acknowledged[ids[0]] != nil { #expect(present == 500, "round \(round): an acknowledged push was lost") }
            server.kill()
        }
        #expect(!acknowledged.isEmpty)
    }
}

@Suite("Graceful shutdown", .serialized)
struct GracefulShutdownTests {
    @Test("SIGTERM and SIGINT stop the server cleanly, after it answered what it had", arguments: [SIGTERM, SIGINT])
    func stops(_ signal: Int32) async throws {
        let server = try ServerProcess()
        defer { server.cleanUp() }
        try await server.start()
        let status = try await server.stop(with: signal)
        #expect(status == 0, "exit status \(status) after signal \(signal)")
    }
}

/// `revisit-server serve` as a child process on a free loopback port.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: used from one test at a time; the process handle is only touched by that test.
    let directory: URL
    let binary: URL
    private(set) var port = 0
    private var process: Process?

    /// - Parameter database: a PostgreSQL URL shared with other instances; nil for a SQLite file of its own.
    init(database: String? = nil) throws {
        let candidates = [
            ProcessInfo.processInfo.environment["REVISIT_SERVER_BINARY"].map { URL(filePath: $0) },
            URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "revisit-server"),
            Bundle.main.bundleURL.deletingLastPathComponent().appending(path: "revisit-server"),
        ].compactMap { $0 }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestFailure("no revisit-server binary next to the tests (build with swift build --build-tests)")
        }
        self.binary = binary
        directory = FileManager.default.temporaryDirectory.appending(path: "revisit-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.database = database ?? directory.appending(path: "revisit.sqlite").path
    }

    let database: String
    var baseURL: String { "http://127.0.0.1:\(port)" }

    func createToken(role: String = "device", tenant: String = "acme") throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["token", "create", "--tenant", tenant, "--role", role, "--database", database]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0, let token = output.split(separator: "\n").last else {
            throw TestFailure("token create failed: \(output)")
        }
        return String(token)
    }

    /// Starts the server on a port it binds itself (`--port 0`) and learns from its "listening on" line: a port
    /// chosen here and bound later could meanwhile be taken by another test's server, which would then answer
    /// this one's requests.
    func start(_ extra: [String] = []) async throws {
        let process = Process()
        process.executableURL = binary
        process.arguments =
            [
                "serve", "--host", "127.0.0.1", "--port", "0", "--database", database, "--data-dir",
                directory.appending(path: "data").path, "--log-level", "warning",
            ] + extra
        let output = Pipe()
        process.standardOutput = output
        // Warnings and errors are kept beside the database, so a failing test can show them.
        let logFile = directory.appending(path: "server-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logFile)
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        // Read on a thread of its own until the server exits, so its stdout never fills up.
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 10) {
                    continuation.yield(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            continuation.finish()
        }
        try process.run()
        self.process = process
        let marker = "listening on http://127.0.0.1:"
        let found = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                for await line in lines {
                    if let range = line.range(of: marker) { return Int(line[range.upperBound...]) }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let found else { throw TestFailure("revisit-server did not say where it listens: \(log)") }
        port = found
        let api = API(baseURL: baseURL)
        for _ in 0..<300 {
            if (try? await api.get("/health").status) == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("revisit-server did not answer /health")
    }

    /// What every run of this process logged (warnings and errors).
    var log: String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".log") }.sorted().compactMap {
            try? String(contentsOf: directory.appending(path: $0), encoding: .utf8)
        }.joined(separator: "\n")
    }

    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Sends a signal and waits (up to 15 s) for the process to exit; returns its exit status.
    func stop(with signal: Int32) async throws -> Int32 {
        guard let process else { throw TestFailure("not running") }
        Glibc.kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + .seconds(15)
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw TestFailure("still running 15 s after the signal") }
            try await Task.sleep(for: .milliseconds(20))
        }
        self.process = nil
        return process.terminationStatus
    }

    func cleanUp() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
