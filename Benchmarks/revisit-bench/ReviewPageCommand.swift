import ArgumentParser
import AsyncHTTPClient
import Foundation

/// `revisit-bench review-page`: issue 12's targets for the customer's review page. One server, one completed
/// inspection of 22 items with 10 photos and its review link; customers opening `GET /r/{token}` at once, returning
/// (cookie sent back) and opening it first (no cookie), for a fixed time each; and the page's weight without photos.
struct ReviewPageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review-page",
        abstract: "Benchmark the customer's review page GET /r/{token} (latency under load, page weight)."
    )

    /// `--server-binary` (given before or after the subcommand's name) is the root command's option: a copy declared
    /// here stayed nil, as ArgumentParser gave the value to the root, and the default binary ran whatever was given.
    @ParentCommand var root: RevisitBench

    @Option(help: "Customers opening the page at once, comma-separated; one run each.")
    var customers = "1,50"

    @Option(help: "Seconds each run lasts.")
    var seconds = 20.0

    @Flag(inversion: .prefixedNo, help: "Also run every count as first opens (no cookie: a session row per request).")
    var firstOpen = true

    @Option(help: "Folder for the database and the server log (default: a temporary folder, removed at the end).")
    var workDir: String?

    @Option(help: "Also write the results as JSON to this path.")
    var json: String?

    mutating func run() async throws {
        let counts = try RevisitBench.counts(customers, "--customers", upTo: 1000)
        guard !counts.isEmpty, seconds > 0 else { throw ValidationError("--customers and --seconds must be given") }
        let binary = try RevisitBench.serverBinaryURL(root.serverBinary)
        let (root, removeAtEnd) = try RevisitBench.makeWorkDir(workDir, name: "review")

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(120),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 2 * (counts.max() ?? 1)
        )
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var report = ReviewPageReport(seconds: seconds)
        var failure: (any Error)?
        do {
            try await measure(binary: binary, root: root, http: http, counts: counts, into: &report)
        } catch {
            failure = error
        }
        try? await http.shutdown()
        if removeAtEnd { try? FileManager.default.removeItem(atPath: root) }
        if !report.runs.isEmpty {
            print(report.table())
            if let json {
                try TextTable.writeJSON(report, to: json)
                Progress.say("review-page: wrote \(json)")
            }
        }
        try RevisitBench.exit(failure: failure)
    }

    private func measure(
        binary: URL,
        root: String,
        http: HTTPClient,
        counts: [Int],
        into report: inout ReviewPageReport
    ) async throws {
        let (server, token) = try await ServerProcess.startOnSQLite(binary: binary, root: root, http: http)
        Progress.say(
            "review-page: server \(binary.path), pid \(server.pid) on 127.0.0.1:\(server.port), work dir \(root)"
        )
        do {
            let client = SyncClient(http: http, port: server.port, token: token)
            let path = try await ReviewWorkshop(client: client).prepare()
            let pageURL = client.baseURL + path
            let first = try await ReviewPageLoad.get(http, pageURL, cookie: nil)
            report.weight = try await ReviewPageWeight.measure(
                http: http,
                base: client.baseURL,
                pagePath: path,
                cookie: first.cookie
            )
            Progress.say("review-page: seeded; page \(report.weight.totalBytes) bytes without photos")
            // Warm-up, not measured: connections, caches, the first sessions.
            for _ in 0..<50 { _ = try await ReviewPageLoad.get(http, pageURL, cookie: first.cookie) }

            let visits: [ReviewPageLoad.Visit] = firstOpen ? [.returning, .firstOpen] : [.returning]
            for count in counts {
                for visit in visits {
                    Progress.say("review-page: \(count) customers, \(visit.rawValue), \(seconds) s")
                    let load = ReviewPageLoad(
                        http: http,
                        pageURL: pageURL,
                        customers: count,
                        visit: visit,
                        duration: .milliseconds(Int(seconds * 1000)),
                        serverPid: server.pid
                    )
                    report.runs.append(try await load.run())
                }
            }
            report.serverPeakMemoryMB = server.memory().map { Double($0.peakKB) / 1024 } ?? 0
            report.serverErrorLogLines = server.errorLogLines().count
        } catch {
            if ProcessRegistry.shared.interruption == nil {
                Progress.say("review-page failed; the server's log ends with:\n\(server.logTail())")
            }
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
