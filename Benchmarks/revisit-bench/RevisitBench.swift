import ArgumentParser
import AsyncHTTPClient
import Foundation

/// Benchmarks the sync server: push and pull throughput and latency, and the server's peak memory, at several
/// numbers of rows stored. Starts its own `revisit-server` per size on a free 127.0.0.1 port and prints a table.
@main
struct RevisitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisit-bench",
        abstract: "Benchmark the Revisit sync server (push/pull throughput, latency, peak memory).",
        discussion: "Build with `Benchmarks/run.sh` (release). Progress goes to stderr, the table to stdout."
    )

    @Option(help: "The revisit-server binary (default: the one next to this executable).")
    var serverBinary: String?

    @Option(help: "Rows stored, comma-separated; k and M suffixes allowed (default 10000,1000000).")
    var sizes: String?

    @Flag(help: "A fast run: sizes 10000,100000 (unless --sizes is given).")
    var quick = false

    @Option(help: "Folder for databases and server logs (default: a temporary folder, removed at the end).")
    var workDir: String?

    @Option(help: "Also write the results as JSON to this path, e.g. Benchmarks/results/latest.json.")
    var json: String?

    @Option(help: "Concurrent clients that seed the database.")
    var seedClients = 2

    @Option(help: "Pull from scratch stops after this many rows.")
    var pullCap = 200_000

    @Option(help: "Pulls of 500 rows at random cursors, for latency.")
    var latencyPulls = 200

    mutating func run() async throws {
        let rows = try resolvedSizes()
        let binary = URL(fileURLWithPath: serverBinary ?? Self.defaultServerBinary())
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ValidationError(
                "no revisit-server at \(binary.path); build it (Benchmarks/run.sh) or pass --server-binary"
            )
        }
        var options = RunOptions()
        options.seedClients = max(1, seedClients)
        options.pullCap = max(1, pullCap)
        options.latencyPulls = max(1, latencyPulls)

        let removeAtEnd = workDir == nil
        let root =
            workDir.map { URL(fileURLWithPath: $0).path }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("revisit-bench-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        ProcessRegistry.shared.installSignalHandlers(removing: removeAtEnd ? root : nil)
        Progress.say(
            "revisit-bench: sizes \(rows.map(Format.size).joined(separator: ", ")), server \(binary.path), "
                + "work dir \(root)\(removeAtEnd ? " (removed at the end)" : "")"
        )

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(120),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 2 * options.concurrentClients
        )
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

        var results: [Report.Size] = []
        var failure: (any Error)?
        let started = ContinuousClock.now
        for size in rows {
            do {
                let run = SizeRun(
                    size: size,
                    binary: binary,
                    directory: root + "/size-\(size)",
                    http: http,
                    options: options
                )
                results.append(Report.Size(rows: size, result: try await run.run()))
            } catch {
                failure = error
                break
            }
        }
        try? await http.shutdown()
        if removeAtEnd { try? FileManager.default.removeItem(atPath: root) }
        Progress.say("revisit-bench: done in \(Format.fixed((ContinuousClock.now - started).seconds, 1)) s")

        if !results.isEmpty {
            let report = Report(sizes: results, options: options)
            print(report.table())
            for size in results where !size.result.rejectionExamples.isEmpty {
                print("Rejected or duplicate mutations at \(Format.size(size.rows)):")
                for example in size.result.rejectionExamples { print("  \(example)") }
            }
            for size in results where !size.result.pullAnomalies.isEmpty {
                print("Pull anomalies at \(Format.size(size.rows)):")
                for anomaly in size.result.pullAnomalies { print("  \(anomaly)") }
            }
            if let json {
                try report.writeJSON(to: json)
                Progress.say("revisit-bench: wrote \(json)")
            }
        }
        if let signalNumber = ProcessRegistry.shared.interruption {
            Progress.say("revisit-bench: interrupted")
            throw ExitCode(128 + signalNumber)
        }
        if let failure {
            Progress.say("revisit-bench: FAILED: \(failure)")
            throw ExitCode.failure
        }
    }

    private func resolvedSizes() throws -> [Int] {
        let text = sizes ?? (quick ? "10000,100000" : "10000,1000000")
        let values = try text.split(separator: ",").map { part -> Int in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            let multiplier =
                trimmed.hasSuffix("k") || trimmed.hasSuffix("K") ? 1_000 : trimmed.hasSuffix("M") ? 1_000_000 : 1
            let digits = multiplier == 1 ? trimmed : String(trimmed.dropLast())
            guard let value = Int(digits.replacingOccurrences(of: "_", with: "")), value > 0 else {
                throw ValidationError("--sizes takes row counts such as 10000,1000000 or 10k,1M; got \(part)")
            }
            return value * multiplier
        }
        guard !values.isEmpty else { throw ValidationError("--sizes needs at least one size") }
        return values.sorted()
    }

    /// The `revisit-server` in the folder of this executable (`/proc/self/exe`, else `argv[0]`).
    private static func defaultServerBinary() -> String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("revisit-server")
            .path
    }
}
