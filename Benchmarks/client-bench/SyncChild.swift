import ArgumentParser
import Foundation
import RevisitClient
import RevisitModel

/// The first sync, run in a child process of the benchmark so that its peak memory (`VmHWM`) is the client's
/// alone. Prints one JSON line: the sync's time, rows and the process's memory.
struct SyncChild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-child",
        abstract: "Internal: one first sync, measured.",
        shouldDisplay: false
    )

    @Option var server: String
    @Option var token: String
    @Option var store: String

    func run() async throws {
        let client = try RevisitClient(storePath: store)
        try await client.login(serverURL: URL(string: server)!, token: token)
        let start = ContinuousClock.now
        let summary = try await client.syncNow()
        let elapsed = ContinuousClock.now - start
        let memory = ProcessMemory.current()
        let line = JSONValue.object([
            "seconds": .double(Format.seconds(elapsed, unit: ())), "rows": .int(Int64(summary.pulled)),
            "peakKB": .int(Int64(memory.peakKB)), "residentKB": .int(Int64(memory.residentKB)),
        ])
        print(line.jsonString)
    }

    /// Runs this executable's `sync-child` and returns what it measured.
    static func spawn(server: String, token: String, store: String) async throws -> FirstSync {
        let process = Process()
        process.executableURL = URL(filePath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["sync-child", "--server", server, "--token", token, "--store", store]
        let output = FileManager.default.temporaryDirectory.appending(path: "client-bench-child-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        let (exits, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
        var iterator = exits.makeAsyncIterator()
        let status = await iterator.next() ?? -1
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0, let line = text.split(separator: "\n").last,
            let object = try? JSONValue.parse(Data(line.utf8)).objectValue,
            let seconds = object["seconds"]?.doubleValue, let rows = object["rows"]?.intValue,
            let peak = object["peakKB"]?.intValue, let resident = object["residentKB"]?.intValue
        else { throw BenchFailure("the sync child exited with \(status): \(text)") }
        return FirstSync(seconds: seconds, rows: Int(rows), peakKB: Int(peak), residentKB: Int(resident))
    }
}

/// What the child measured.
struct FirstSync: Sendable {
    var seconds: Double
    var rows: Int
    var peakKB: Int
    var residentKB: Int
}

/// This process's memory from `/proc/self/status`: `VmHWM` (peak resident set) and `VmRSS`.
enum ProcessMemory {
    static func current() -> (peakKB: Int, residentKB: Int) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func value(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return (value("VmHWM"), value("VmRSS"))
    }
}
