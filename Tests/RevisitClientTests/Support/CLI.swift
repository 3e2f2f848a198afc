import Foundation
import RevisitModel
import RevisitTestSupport

/// Runs the built `revisit` binary, found next to the test bundle, without blocking a concurrency thread (the
/// in-process test server needs them to answer the binary).
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The last non-empty line of stdout.
        var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
        var json: JSONValue { (try? JSONValue.parse(Data(stdout.utf8))) ?? .null }
    }

    let store: String

    init(
        store: String = FileManager.default.temporaryDirectory.appending(
            path: "revisit-cli-\(UUID().uuidString)/store.sqlite"
        ).path
    ) {
        self.store = store
    }

    /// The `revisit` executable in the build folder of the test bundle.
    static func binary() throws -> URL {
        let folders = [
            URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for folder in folders {
            let candidate = folder.appending(path: "revisit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestFailure(
            "the revisit binary is not next to the test bundle (looked in \(folders.map(\.path))): "
                + "build it first with swift build --build-tests (or swift build --product revisit)"
        )
    }

    /// Runs `revisit ARGS` with `REVISIT_STORE` set to this store.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let process = try start(arguments, environment: environment)
        return try await process.finish()
    }

    /// Starts `revisit ARGS` and returns the running process (to kill it, or wait for it).
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let folder = FileManager.default.temporaryDirectory.appending(path: "revisit-cli-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appending(path: "stdout")
        let err = folder.appending(path: "stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["REVISIT_STORE"] = store
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let running = Running(process: process, stdout: out, stderr: err)
        try running.launch()
        return running
    }

    /// A started `revisit` process.
    final class Running: @unchecked Sendable {
        // @unchecked: the Process is only touched before launch and through its thread-safe termination handler.
        let process: Process
        let stdout: URL
        let stderr: URL
        private let exited = AsyncStream<Int32>.makeStream()

        init(process: Process, stdout: URL, stderr: URL) {
            self.process = process
            self.stdout = stdout
            self.stderr = stderr
        }

        func launch() throws {
            let continuation = exited.continuation
            process.terminationHandler = { process in
                continuation.yield(process.terminationStatus)
                continuation.finish()
            }
            try process.run()
        }

        /// Kills it at once (SIGKILL), as a crash or a pulled battery would.
        func kill() { _ = Foundation.kill(process.processIdentifier, SIGKILL) }

        func finish() async throws -> Result {
            var iterator = exited.stream.makeAsyncIterator()
            let status = await iterator.next() ?? -1
            return Result(
                status: status,
                stdout: (try? String(contentsOf: stdout, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
            )
        }
    }
}
