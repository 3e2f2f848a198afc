import Foundation

/// The results of every size as one plain-text table (a row per metric, a column per size, then the target and
/// whether it is met) and as JSON.
struct Report: Codable, Sendable {
    struct Size: Codable, Sendable {
        let rows: Int
        let result: SizeResult
    }

    struct Check: Codable, Sendable {
        let metric: String
        let target: String
        let pass: Bool
    }

    struct Ratio: Codable, Sendable {
        let metric: String
        let largest: Int
        let smallest: Int
        let value: Double
    }

    static let pushTarget = 20_000.0
    static let pullTarget = 100_000.0
    static let ratioTarget = 2.0
    static let memoryTargetMB = 150.0

    let generatedAt: String
    let cores: Int
    let options: RunOptions
    let sizes: [Size]
    var checks: [Check] = []
    var ratios: [Ratio] = []

    init(sizes: [Size], options: RunOptions) {
        self.sizes = sizes
        self.options = options
        generatedAt = ISO8601DateFormatter().string(from: Date())
        cores = ProcessInfo.processInfo.activeProcessorCount
        let results = sizes.map(\.result)
        checks = [
            Check(
                metric: "push, 1 client",
                target: ">= 20,000 mutations/s",
                pass: results.allSatisfy { $0.push1MutationsPerSecond >= Self.pushTarget }
            ),
            Check(
                metric: "push, \(options.concurrentClients) clients",
                target: ">= 20,000 mutations/s",
                pass: results.allSatisfy { $0.push8MutationsPerSecond >= Self.pushTarget }
            ),
            Check(
                metric: "pull from scratch",
                target: ">= 100,000 rows/s",
                pass: results.allSatisfy { $0.pullRowsPerSecond >= Self.pullTarget }
            ),
            Check(
                metric: "server peak memory",
                target: "< 150 MB",
                pass: results.allSatisfy { $0.serverPeakMemoryMB < Self.memoryTargetMB }
            ),
        ]
        if let smallest = sizes.first, let largest = sizes.last, sizes.count > 1 {
            let p50 = largest.result.pull500Latency.p50 / smallest.result.pull500Latency.p50
            let p99 = largest.result.pull500Latency.p99 / smallest.result.pull500Latency.p99
            ratios = [
                Ratio(metric: "500-row pull p50", largest: largest.rows, smallest: smallest.rows, value: p50),
                Ratio(metric: "500-row pull p99", largest: largest.rows, smallest: smallest.rows, value: p99),
            ]
            checks.append(Check(metric: "500-row pull p50 ratio", target: "<= 2.0x", pass: p50 <= Self.ratioTarget))
            checks.append(Check(metric: "500-row pull p99 ratio", target: "<= 2.0x", pass: p99 <= Self.ratioTarget))
        }
    }

    /// The table, ready to print.
    func table() -> String {
        let results = sizes.map(\.result)
        let clients = options.concurrentClients
        var rows: [[String]] = []
        func row(_ label: String, _ value: (SizeResult) -> String, target: String = "", pass: Bool? = nil) {
            rows.append([label] + results.map(value) + [target, pass.map { $0 ? "PASS" : "FAIL" } ?? ""])
        }
        func check(_ metric: String) -> Bool? { checks.first { $0.metric == metric }?.pass }
        let int = { (value: Double) in Format.grouped(Int(value.rounded())) }
        let ms = { (value: Double) in Format.fixed(value, value < 10 ? 2 : 1) }

        row("rows stored when measuring pulls", { Format.grouped($0.rowsStored) })
        row("seeding, \(options.seedClients) clients (mutations/s)", { int($0.seedMutationsPerSecond) })
        row(
            "push, 1 client (mutations/s)",
            { int($0.push1MutationsPerSecond) },
            target: ">= 20,000",
            pass: check("push, 1 client")
        )
        row(
            "push, \(clients) clients (mutations/s)",
            { int($0.push8MutationsPerSecond) },
            target: ">= 20,000",
            pass: check("push, \(clients) clients")
        )
        row("push latency, 1 client p50 (ms)", { ms($0.push1Latency.p50) })
        row("push latency, 1 client p99 (ms)", { ms($0.push1Latency.p99) })
        row("push latency, \(clients) clients p50 (ms)", { ms($0.push8Latency.p50) })
        row("push latency, \(clients) clients p99 (ms)", { ms($0.push8Latency.p99) })
        row(
            "pull from scratch (rows/s)",
            { int($0.pullRowsPerSecond) },
            target: ">= 100,000",
            pass: check("pull from scratch")
        )
        row("pull from scratch incl. decoding (rows/s)", { int($0.pullRowsPerSecondWall) })
        row("rows pulled from scratch", { Format.grouped($0.pullRows) + ($0.pullCapped ? " (cap)" : "") })
        row("500-row pull p50 (ms)", { ms($0.pull500Latency.p50) })
        row("500-row pull p99 (ms)", { ms($0.pull500Latency.p99) })
        for ratio in ratios {
            let label = "\(ratio.metric), \(Format.size(ratio.largest)) / \(Format.size(ratio.smallest))"
            rows.append(
                [label] + results.indices.map { $0 == results.count - 1 ? Format.fixed(ratio.value, 2) + "x" : "" }
                    + ["<= 2.0x", check("\(ratio.metric) ratio").map { $0 ? "PASS" : "FAIL" } ?? ""]
            )
        }
        row(
            "server peak memory, VmHWM (MB)",
            { Format.fixed($0.serverPeakMemoryMB, 1) },
            target: "< 150",
            pass: check("server peak memory")
        )
        row("server memory at end, VmRSS (MB)", { Format.fixed($0.serverResidentMemoryMB, 1) })
        row("server CPU, pull from scratch (cores)", { Format.fixed($0.serverCoresPullFromScratch, 2) })
        row("server CPU, push 1 client (cores)", { Format.fixed($0.serverCoresPush1, 2) })
        row("server CPU, push \(clients) clients (cores)", { Format.fixed($0.serverCoresPush8, 2) })
        row(
            "CPU for the size, server / benchmark (s)",
            {
                Format.fixed($0.serverCPUSeconds, 1) + " / " + Format.fixed($0.clientCPUSeconds, 1)
            }
        )
        row("rejected / duplicate mutations", { "\($0.rejected) / \($0.duplicates)" })
        row("server log lines at error level", { "\($0.serverErrorLogLines)" })
        row("database size at end (MB)", { Format.fixed($0.databaseMB, 1) })
        row("time for this size (s)", { Format.fixed($0.runSeconds, 1) })

        let header = ["metric"] + sizes.map { Format.size($0.rows) + " rows" } + ["target", "result"]
        var out: [String] = []
        out.append(
            "Revisit sync benchmark: release build, \(cores) cores, 127.0.0.1, pushes of \(options.batchSize) "
                + "mutations, pulls of \(options.pullLimit) (from scratch) and \(options.latencyPullLimit) (latency)"
        )
        out.append(contentsOf: TextTable.lines(header: header, rows: rows))
        out.append("")
        out.append(
            "Push: \(options.pushBatches) batches from 1 client in sequence, and \(options.concurrentBatches) batches "
                + "from each of \(clients) clients at once, of new inspections (bodies built before timing); "
                + "latency is each request's wall time."
        )
        out.append(
            "Pull from scratch: limit \(options.pullLimit) from no cursor until hasMore is false, capped at the "
                + "first \(Format.grouped(options.pullCap)) rows (\"(cap)\"); rows/s over request time (send to "
                + "last byte), and over the loop's wall time including decoding each page for its cursor."
        )
        out.append(
            "500-row pulls: \(options.latencyPulls) pulls at random cursors in 0...(max version - 500), measured "
                + "with exactly the seeded rows stored (pushes run after). Memory: the server process's "
                + "/proc/PID/status at the end of its size."
        )
        return out.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
    }

    func writeJSON(to path: String) throws {
        try TextTable.writeJSON(self, to: path)
    }
}
