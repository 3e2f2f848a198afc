import Foundation

/// The review page's figures as two tables (the load, a column per run; the page's weight) with issue 12's targets.
struct ReviewPageReport: Encodable, Sendable {
    /// p99 of a returning customer's `GET /r/{token}`, in ms, with this many customers at once.
    static let latencyTargetMS = 20.0
    static let targetCustomers = 50
    /// HTML + CSS + JS, photos aside, in bytes (60 KB counted as 60,000 bytes, the stricter reading).
    static let weightTargetBytes = 60_000

    let generatedAt = ISO8601DateFormatter().string(from: Date())
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let seconds: Double
    var runs: [ReviewPageLoad.Result] = []
    var weight = ReviewPageWeight()
    var serverPeakMemoryMB = 0.0
    var serverErrorLogLines = 0

    init(seconds: Double) {
        self.seconds = seconds
    }

    /// The runs the latency target applies to: returning customers at ``targetCustomers``.
    private var targetRuns: [ReviewPageLoad.Result] {
        runs.filter { $0.customers == Self.targetCustomers && $0.visit == .returning }
    }

    func table() -> String {
        func row(
            _ metric: String,
            _ cell: (ReviewPageLoad.Result) -> String,
            target: String = "",
            result: String = ""
        )
            -> [String]
        {
            [metric] + runs.map(cell) + [target, result]
        }
        let latencyVerdict =
            targetRuns.isEmpty ? "-" : targetRuns.allSatisfy { $0.latency.p99 < Self.latencyTargetMS } ? "PASS" : "FAIL"
        let ms = { (value: Double) in Format.fixed(value, 1) }
        let load = TextTable.lines(
            header: ["metric"] + runs.map { "\($0.customers) at once" } + ["target", "result"],
            rows: [
                row("visit", \.visit.rawValue),
                row("requests (failed)", { "\(Format.grouped($0.requests)) (\($0.failures))" }),
                row("requests/s", { Format.grouped(Int($0.requestsPerSecond.rounded())) }),
                row("latency p50 / p90 (ms)", { "\(ms($0.latency.p50)) / \(ms($0.latency.p90))" }),
                row(
                    "latency p99 (ms)",
                    { ms($0.latency.p99) },
                    target: "< \(Int(Self.latencyTargetMS)) ms *",
                    result: latencyVerdict
                ),
                row("latency max (ms)", { ms($0.latency.max) }),
                row("server time p50 / p99 (ms) **", { "\(ms($0.serverTime.p50)) / \(ms($0.serverTime.p99))" }),
                row("sessions written (Set-Cookie)", { Format.grouped($0.sessionsWritten) }),
                row(
                    "CPU: server / bench (cores)",
                    { "\(Format.fixed($0.serverCores, 2)) / \(Format.fixed($0.benchCores, 2))" }
                ),
            ]
        )
        var weightRows: [[String]] = [["HTML (/r/{token})", Format.grouped(weight.htmlBytes), "", ""]]
        for (path, bytes) in weight.assets.sorted(by: { $0.key < $1.key }) {
            weightRows.append([path, Format.grouped(bytes), "", ""])
        }
        weightRows.append([
            "total, photos aside", Format.grouped(weight.totalBytes), "< \(Format.grouped(Self.weightTargetBytes))",
            weight.totalBytes < Self.weightTargetBytes ? "PASS" : "FAIL",
        ])
        weightRows.append(["photos linked (not counted)", "\(weight.photosLinked)", "", ""])
        let weightTable = TextTable.lines(header: ["page weight", "bytes", "target", "result"], rows: weightRows)
        return
            ([
                "Revisit review page GET /r/{token}: release build, \(cores) cores, 127.0.0.1, an inspection of 22 items "
                    + "with \(ReviewWorkshop.photoCount) photos, each run \(Format.fixed(seconds, 0)) s, customers "
                    + "requesting without pause"
            ] + load
            + [
                "* returning customers, \(Self.targetCustomers) at once; latency is the client's, send to last byte "
                    + "(bench and server share the cores).",
                "** from the page's Server-Timing header: from the request reaching the page's handler to its answer "
                    + "made, without the queue in front of the handler.",
                "server peak memory \(Format.fixed(serverPeakMemoryMB, 1)) MB, server log lines at error level "
                    + "\(serverErrorLogLines)",
                "",
            ] + weightTable).joined(separator: "\n")
    }
}
