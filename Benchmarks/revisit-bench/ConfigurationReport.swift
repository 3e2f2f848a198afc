import Foundation

/// The configurations as one plain-text table (a row per metric, a column per configuration, then the target and
/// whether it is met) and as JSON.
struct ConfigurationReport: Codable, Sendable {
    struct Column: Codable, Sendable {
        let configuration: BenchConfiguration
        let result: ConfigurationResult
    }

    struct Check: Codable, Sendable {
        let metric: String
        let target: String
        let pass: Bool
    }

    static let pushTarget = 10_000.0
    static let pullTarget = 50_000.0

    let generatedAt: String
    let cores: Int
    let options: RunOptions
    let columns: [Column]
    var checks: [Check] = []
    /// `/proc/loadavg` when the run started and when it ended: other work on the machine skews every figure.
    let loadAtStart: String
    let loadAtEnd: String

    init(columns: [Column], options: RunOptions, loadAtStart: String) {
        self.columns = columns
        self.options = options
        self.loadAtStart = loadAtStart
        loadAtEnd = ProcessCPU.loadAverage()
        generatedAt = ISO8601DateFormatter().string(from: Date())
        cores = ProcessInfo.processInfo.activeProcessorCount
        if let target = columns.first(where: { $0.configuration.isTargetConfiguration })?.result {
            checks = [
                Check(
                    metric: "push",
                    target: ">= 10,000 mutations/s (PostgreSQL, 1 instance, 8 tenants)",
                    pass: target.pushMutationsPerSecond >= Self.pushTarget
                ),
                Check(
                    metric: "pull",
                    target: ">= 50,000 rows/s (PostgreSQL, 1 instance, 8 tenants)",
                    pass: target.pullRowsPerSecond >= Self.pullTarget
                ),
            ]
        }
    }

    /// The table, ready to print.
    func table() -> String {
        let results = columns.map(\.result)
        let clients = options.concurrentClients
        var rows: [[String]] = []
        func row(_ label: String, _ value: (ConfigurationResult) -> String, target: String = "", check: String? = nil) {
            let pass = check.flatMap { metric in checks.first { $0.metric == metric }?.pass }
            rows.append([label] + results.map(value) + [target, pass.map { $0 ? "PASS" : "FAIL" } ?? ""])
        }
        let int = { (value: Double) in Format.grouped(Int(value.rounded())) }
        let ms = { (value: Double) in Format.fixed(value, value < 10 ? 2 : 1) }
        let twoCores = { (value: Double) in Format.fixed(value, 2) }
        let cpu = { (value: ConfigurationResult.CPU) in
            [
                twoCores(value.servers), value.postgres.map(twoCores) ?? "-", twoCores(value.bench),
                twoCores(value.others),
            ]
            .joined(separator: "/")
        }
        let webhooks = options.webhookFollowups > 0

        rows.append(["instances"] + columns.map { "\($0.configuration.instances)" } + ["", ""])
        rows.append(
            ["tenants (the \(clients) clients spread over them)"] + columns.map { "\($0.configuration.tenants)" } + [
                "", "",
            ]
        )
        row("mutations pushed", { Format.grouped($0.mutationsPushed) })
        row(
            "push, \(clients) clients (mutations/s)",
            { int($0.pushMutationsPerSecond) },
            target: checks.isEmpty ? "" : ">= 10,000 *",
            check: "push"
        )
        row("push latency p50 / p99 (ms)", { ms($0.pushLatency.p50) + " / " + ms($0.pushLatency.p99) })
        row("rows pulled from scratch (passes)", { Format.grouped($0.rowsPulled) + " (\($0.pullPasses))" })
        row(
            "pull from scratch, \(clients) clients (rows/s)",
            { int($0.pullRowsPerSecond) },
            target: checks.isEmpty ? "" : ">= 50,000 *",
            check: "pull"
        )
        row(
            "pull latency p50 / p99, \(options.pullLimit) rows (ms)",
            { ms($0.pullLatency.p50) + " / " + ms($0.pullLatency.p99) }
        )
        if webhooks {
            row("webhook deliveries queued at once", { Format.grouped($0.webhookQueued) })
            row("webhook deliveries (/s)", { int($0.webhookDeliveriesPerSecond) })
            row("replays sent -> last delivery (s)", { Format.fixed($0.webhookSeconds, 2) })
            row(
                "webhook requests / distinct ids",
                { "\(Format.grouped($0.webhookRequests)) / \(Format.grouped($0.webhookDistinct))" }
            )
        }
        row("CPU in push: servers/PostgreSQL/bench/others", { cpu($0.pushCPU) })
        row("CPU in pull: servers/PostgreSQL/bench/others", { cpu($0.pullCPU) })
        if webhooks { row("CPU in deliveries: servers/PostgreSQL/bench/others", { cpu($0.webhookCPU) }) }
        row("rejected / duplicate mutations", { "\($0.rejected) / \($0.duplicates)" })
        row("pull anomalies", { "\($0.pullAnomalies.count)" })
        row("server log lines at error level", { "\($0.serverErrorLogLines)" })
        row("server peak memory, largest instance (MB)", { Format.fixed($0.serverPeakMemoryMB, 1) })
        row("time for this configuration (s)", { Format.fixed($0.runSeconds, 1) })

        let header = ["metric"] + columns.map { $0.configuration.database.title } + ["target", "result"]
        var out: [String] = []
        out.append(
            "Revisit sync benchmark, configurations: release build, \(cores) cores, 127.0.0.1, \(clients) clients, "
                + "pushes of \(options.batchSize) mutations, pulls of \(options.pullLimit) rows"
        )
        out.append(contentsOf: TextTable.lines(header: header, rows: rows))
        out.append("")
        if !checks.isEmpty { out.append("* Targets for PostgreSQL with 1 instance and 8 tenants.") }
        out.append(
            "Each configuration: a fresh database; client c is a tablet of tenant c % tenants talking to instance "
                + "c % instances. Push: each client sends \(options.concurrentBatches) batches of new inspections in "
                + "order, all clients at once; mutations/s over the phase's wall time (bodies built before)."
        )
        out.append(
            "Pull: each client pulls its tenant's rows from scratch until hasMore is false, pass after pass until it "
                + "has as many rows as were pushed in all, all clients at once; rows/s over the phase's wall time, "
                + "including the benchmark's decoding and checking of every page."
        )
        if webhooks {
            out.append(
                "Webhooks: closed inspections with at least \(Format.grouped(options.webhookFollowups)) deferred items "
                    + "(\(Workload.itemCodes.count) per inspection) pushed "
                    + "without an endpoint, then each tenant registers one (a loopback receiver) and replays: "
                    + "deliveries/s from the replays to the last distinct webhook-id; every instance delivers."
            )
        }
        out.append(
            "CPU in cores (CPU seconds / wall seconds): the revisit-server processes, the PostgreSQL cluster "
                + "(postmaster and backends; - when not measured), the benchmark, and all other processes on the "
                + "machine (with PostgreSQL when not measured), all on the same \(cores) cores. Load average "
                + "(1, 5, 15 min) at the start: \(loadAtStart); at the end: \(loadAtEnd)."
        )
        return out.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
    }

    func writeJSON(to path: String) throws {
        try TextTable.writeJSON(self, to: path)
    }
}
