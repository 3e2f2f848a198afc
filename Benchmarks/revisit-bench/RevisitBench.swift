import ArgumentParser
import AsyncHTTPClient
import Foundation
import RevisitStore

/// Benchmarks the sync server: push and pull throughput and latency, and the server's peak memory, at several
/// numbers of rows stored. Starts its own `revisit-server` per size on a free 127.0.0.1 port and prints a table.
/// With `--database`, `--instances` or `--tenants` it compares configurations instead (SQLite or PostgreSQL, one or
/// more server processes on one database, clients in one tenant or several): a column per configuration.
@main
struct RevisitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisit-bench",
        abstract: "Benchmark the Revisit sync server (push/pull throughput, latency, peak memory).",
        discussion: """
            Build with `Benchmarks/run.sh` (release). Progress goes to stderr, the table to stdout. \
            `Benchmarks/run-postgres.sh` compares SQLite and PostgreSQL with one and two instances on a throwaway \
            PostgreSQL cluster. `revisit-bench review-page` measures the customer's review page instead.
            """,
        subcommands: [ReviewPageCommand.self, LiveCommand.self, ConsoleCommand.self]
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

    @Option(help: "Clients that push at once (and, comparing configurations, pull at once).")
    var clients = 8

    @Option(help: "Batches of 500 mutations each of those clients pushes.")
    var batchesPerClient = 10

    @Option(
        help: """
            Compare configurations: databases, comma-separated (sqlite, postgres). A fresh database per \
            configuration; PostgreSQL ones on the server of --postgres-url.
            """
    )
    var database: String?

    @Option(help: "Compare configurations: revisit-server processes on the one database, comma-separated (e.g. 1,2).")
    var instances: String?

    @Option(help: "Compare configurations: tenants the clients are spread over, comma-separated (e.g. 1,8).")
    var tenants: String?

    @Option(
        name: .customLong("postgres-url"),
        help: """
            A PostgreSQL database whose server gets a new database per configuration (needs CREATEDB; default \
            $REVISIT_TEST_DATABASE_URL).
            """
    )
    var postgresURL: String?

    @Option(help: "The PostgreSQL cluster's data folder, to count its CPU (default $REVISIT_TEST_PG_DATA).")
    var postgresData: String?

    @Option(help: "Comparing configurations: follow-ups whose webhook deliveries are queued at once (0: none).")
    var webhooks = 10_000

    /// Whether to compare configurations rather than sizes.
    private var comparesConfigurations: Bool { database != nil || instances != nil || tenants != nil }

    mutating func run() async throws {
        if comparesConfigurations {
            try await runConfigurations()
            return
        }
        let rows = try resolvedSizes()
        let binary = try Self.serverBinaryURL(serverBinary)
        let options = runOptions()
        let (root, removeAtEnd) = try Self.makeWorkDir(workDir, name: "bench")
        Progress.say(
            "revisit-bench: sizes \(rows.map(Format.size).joined(separator: ", ")), server \(binary.path), "
                + "work dir \(root)\(removeAtEnd ? " (removed at the end)" : "")"
        )
        let http = Self.makeHTTPClient(options)

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
            for size in results {
                Self.printFindings(
                    "at \(Format.size(size.rows))",
                    rejections: size.result.rejectionExamples,
                    anomalies: size.result.pullAnomalies
                )
            }
            if let json {
                try report.writeJSON(to: json)
                Progress.say("revisit-bench: wrote \(json)")
            }
        }
        try Self.exit(failure: failure)
    }

    /// One table with a column per configuration: databases × instances × tenants (SQLite with one instance only).
    private func runConfigurations() async throws {
        guard sizes == nil, !quick else {
            throw ValidationError(
                "--sizes and --quick measure sizes; leave them out with --database, --instances, --tenants"
            )
        }
        let databases = try (database ?? "sqlite").split(separator: ",").map { part -> DatabaseKind in
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let kind = DatabaseKind(rawValue: name == "postgresql" ? "postgres" : name) else {
                throw ValidationError("--database takes sqlite and postgres, comma-separated; got \(part)")
            }
            return kind
        }
        let instanceCounts = try Self.counts(instances ?? "1", "--instances", upTo: 16)
        let tenantCounts = try Self.counts(tenants ?? "1", "--tenants", upTo: 1000)
        var configurations: [BenchConfiguration] = []
        for kind in databases {
            for count in instanceCounts {
                if kind == .sqlite, count > 1 {
                    Progress.say("revisit-bench: SQLite with \(count) instances skipped (one process per SQLite file)")
                    continue
                }
                for tenantCount in tenantCounts {
                    configurations.append(BenchConfiguration(database: kind, instances: count, tenants: tenantCount))
                }
            }
        }
        guard !configurations.isEmpty else { throw ValidationError("no configuration to run") }

        var postgres: PostgresTarget?
        if databases.contains(.postgres) {
            let environment = ProcessInfo.processInfo.environment
            guard let url = postgresURL ?? environment["REVISIT_TEST_DATABASE_URL"], !url.isEmpty else {
                throw ValidationError(
                    "--database postgres needs --postgres-url or REVISIT_TEST_DATABASE_URL "
                        + "(Benchmarks/run-postgres.sh starts a throwaway PostgreSQL)"
                )
            }
            guard let host = URLComponents(string: url)?.host, host == "127.0.0.1" || host == "localhost" else {
                throw ValidationError("the benchmark only talks to PostgreSQL on 127.0.0.1")
            }
            let data = postgresData ?? environment["REVISIT_TEST_PG_DATA"]
            postgres = PostgresTarget(url: url, postmasterPid: data.flatMap(PostgresTarget.postmaster(dataFolder:)))
        }

        let binary = try Self.serverBinaryURL(serverBinary)
        var options = runOptions()
        options.webhookFollowups = max(0, webhooks)
        let (root, removeAtEnd) = try Self.makeWorkDir(workDir, name: "bench")
        Progress.say(
            "revisit-bench: \(configurations.count) configurations, server \(binary.path), work dir \(root)"
                + (removeAtEnd ? " (removed at the end)" : "")
                + (postgres.map { ", PostgreSQL \(PostgresOptions.redacted($0.url))" } ?? "")
                + (postgres != nil && postgres?.postmasterPid == nil ? " (its CPU not counted: no data folder)" : "")
        )
        let http = Self.makeHTTPClient(options)

        var columns: [ConfigurationReport.Column] = []
        var failure: (any Error)?
        let started = ContinuousClock.now
        let loadAtStart = ProcessCPU.loadAverage()
        for (index, configuration) in configurations.enumerated() {
            do {
                let run = ConfigurationRun(
                    index: index + 1,
                    configuration: configuration,
                    binary: binary,
                    directory: root + "/configuration-\(index + 1)",
                    http: http,
                    options: options,
                    postgres: postgres
                )
                columns.append(ConfigurationReport.Column(configuration: configuration, result: try await run.run()))
            } catch {
                failure = error
                break
            }
        }
        try? await http.shutdown()
        if removeAtEnd { try? FileManager.default.removeItem(atPath: root) }
        Progress.say("revisit-bench: done in \(Format.fixed((ContinuousClock.now - started).seconds, 1)) s")

        if !columns.isEmpty {
            let report = ConfigurationReport(columns: columns, options: options, loadAtStart: loadAtStart)
            print(report.table())
            for column in columns {
                Self.printFindings(
                    column.configuration.label,
                    rejections: column.result.rejectionExamples,
                    anomalies: column.result.pullAnomalies
                )
            }
            if let json {
                try report.writeJSON(to: json)
                Progress.say("revisit-bench: wrote \(json)")
            }
        }
        try Self.exit(failure: failure)
    }

    private func runOptions() -> RunOptions {
        var options = RunOptions()
        options.seedClients = max(1, seedClients)
        options.pullCap = max(1, pullCap)
        options.latencyPulls = max(1, latencyPulls)
        options.concurrentClients = max(1, clients)
        options.concurrentBatches = max(1, batchesPerClient)
        return options
    }

    /// The work folder (`given`, and kept; or a temporary `revisit-NAME-…`, removed at the end), with its `data`
    /// folder for the servers' attachments and signal handlers that stop the servers (and remove a temporary folder)
    /// on Ctrl-C. Every mode of the benchmark works in one.
    static func makeWorkDir(_ given: String?, name: String) throws -> (path: String, removeAtEnd: Bool) {
        let removeAtEnd = given == nil
        let root =
            given.map { URL(fileURLWithPath: $0).path }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("revisit-\(name)-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        ProcessRegistry.shared.installSignalHandlers(removing: removeAtEnd ? root : nil)
        return (root, removeAtEnd)
    }

    private static func makeHTTPClient(_ options: RunOptions) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(120),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 2 * options.concurrentClients
        )
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The `revisit-server` to run: `given`, or the one next to this executable.
    static func serverBinaryURL(_ given: String?) throws -> URL {
        let binary = URL(fileURLWithPath: given ?? Self.defaultServerBinary())
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ValidationError(
                "no revisit-server at \(binary.path); build it (Benchmarks/run.sh) or pass --server-binary"
            )
        }
        return binary
    }

    /// "1,2" as [1, 2]: positive counts up to `limit`, in the order given.
    static func counts(_ text: String, _ flag: String, upTo limit: Int) throws -> [Int] {
        let values = try text.split(separator: ",").map { part -> Int in
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)), (1...limit).contains(value) else {
                throw ValidationError("\(flag) takes counts 1…\(limit), comma-separated; got \(part)")
            }
            return value
        }
        guard !values.isEmpty else { throw ValidationError("\(flag) needs at least one count") }
        return values
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
    static func defaultServerBinary() -> String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("revisit-server")
            .path
    }

    /// What a run found wrong: mutations not applied, pulls that were not exact.
    static func printFindings(_ label: String, rejections: [String], anomalies: [String]) {
        if !rejections.isEmpty {
            print("Rejected or duplicate mutations, \(label):")
            for example in rejections { print("  \(example)") }
        }
        if !anomalies.isEmpty {
            print("Pull anomalies, \(label):")
            for anomaly in anomalies { print("  \(anomaly)") }
        }
    }

    /// The exit status: interrupted, failed, or fine.
    static func exit(failure: (any Error)?) throws {
        if let signalNumber = ProcessRegistry.shared.interruption {
            Progress.say("revisit-bench: interrupted")
            throw ExitCode(128 + signalNumber)
        }
        if let failure {
            Progress.say("revisit-bench: FAILED: \(failure)")
            throw ExitCode.failure
        }
    }

}
