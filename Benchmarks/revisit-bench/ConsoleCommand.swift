import ArgumentParser
import AsyncHTTPClient
import Foundation
import RevisitModel

/// `revisit-bench console`: issue 15's targets for the workshop console. One server with the follow-ups of
/// ``ConsoleWorkshop`` (2,000 due in one month, 50,000 over the 24 months after it), an admin signed in at
/// `/console/login`, then the month's call list and the reports page over 24 months requested one after another;
/// each request is timed from sending to its last byte, on loopback.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Benchmark the console's call list (2,000 follow-ups) and reports page (24 months of 50,000)."
    )

    /// `--server-binary` (given before or after the subcommand's name) is the root command's option: a copy declared
    /// here stayed nil, as ArgumentParser gave the value to the root, and the default binary ran whatever was given.
    @ParentCommand var root: RevisitBench

    @Option(help: "Follow-ups due in the call list's month.")
    var callList = 2000

    @Option(help: "Follow-ups due over the 24 months after it, for the reports page.")
    var report = 50_000

    @Option(help: "Requests of each page.")
    var requests = 50

    @Option(help: "Folder for the database and the server log (default: a temporary folder, removed at the end).")
    var workDir: String?

    static let targetMS = 100.0
    static let month = CalendarDate(year: 2027, month: 1, day: 1)!

    mutating func run() async throws {
        let binary = try RevisitBench.serverBinaryURL(root.serverBinary)
        let (root, removeAtEnd) = try RevisitBench.makeWorkDir(workDir, name: "console")
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(redirectConfiguration: .disallow)
        )
        var rows: [[String]] = []
        var failure: (any Error)?
        do {
            rows = try await measure(binary: binary, root: root, http: http)
        } catch {
            failure = error
        }
        try? await http.shutdown()
        if removeAtEnd { try? FileManager.default.removeItem(atPath: root) }
        if !rows.isEmpty {
            print(
                TextTable.lines(
                    header: [
                        "page", "rows", "bytes", "p50 (ms)", "p99 (ms)", "server p50 (ms)", "server p99 (ms)",
                        "target (server p99)", "result",
                    ],
                    rows: rows
                ).joined(separator: "\n")
            )
        }
        try RevisitBench.exit(failure: failure)
    }

    private func measure(binary: URL, root: String, http: HTTPClient) async throws -> [[String]] {
        let (server, token) = try await ServerProcess.startOnSQLite(binary: binary, root: root, http: http)
        defer { Task { await server.stop() } }
        let client = SyncClient(http: http, port: server.port, token: token)
        Progress.say("console: seeding \(callList) + \(report) follow-ups on 127.0.0.1:\(server.port)")
        try await ConsoleWorkshop(
            client: client,
            callListMonth: Self.month,
            callListCount: callList,
            reportCount: report
        )
        .prepare { Progress.say("console: \($0) follow-ups") }
        let cookie = try await signIn(http, base: client.baseURL, token: token)
        let month = String(Self.month.description.prefix(7))
        let last = Self.month.adding(days: 25 * 31).monthStart.description.prefix(7)
        let pages = [
            ("call list, \(month)", "/console/followups?month=\(month)", callList),
            ("reports, 24 months", "/console/reports?from=\(month)&to=\(last)", callList + report),
        ]
        var rows: [[String]] = []
        for (name, path, count) in pages {
            var samples: [Double] = []
            var serverSamples: [Double] = []
            var bytes = 0
            for index in 0..<(requests + 5) {
                let (seconds, server, size) = try await get(http, client.baseURL + path, cookie: cookie)
                if index >= 5 {  // five warm-up requests
                    samples.append(seconds)
                    if let server { serverSamples.append(server) }
                }
                bytes = size
            }
            let latency = LatencySummary(seconds: samples)
            // The target is the server's time: the page's own work, without loopback and the client's reading.
            let server = LatencySummary(seconds: serverSamples)
            rows.append([
                name, Format.grouped(count), Format.grouped(bytes), Format.fixed(latency.p50, 1),
                Format.fixed(latency.p99, 1), Format.fixed(server.p50, 1), Format.fixed(server.p99, 1),
                "< \(Int(Self.targetMS)) ms", server.p99 < Self.targetMS ? "PASS" : "FAIL",
            ])
            Progress.say(
                "console: \(name): p50 \(Format.fixed(latency.p50, 1)) ms, p99 \(Format.fixed(latency.p99, 1)) ms"
                    + " (server p50 \(Format.fixed(server.p50, 1)), p99 \(Format.fixed(server.p99, 1)))"
            )
        }
        return rows
    }

    /// The sign-in form's own token and cookie, then the session cookie.
    private func signIn(_ http: HTTPClient, base: String, token: String) async throws -> String {
        let login = try await http.execute(HTTPClientRequest(url: base + "/console/login"), timeout: .seconds(30))
        let page = String(buffer: try await login.body.collect(upTo: 1 << 20))
        guard let range = page.range(of: #"name="csrf" value="([^"]*)""#, options: .regularExpression),
            let csrf = page[range].split(separator: "\"").dropFirst(3).first,
            let loginCookie = login.headers["Set-Cookie"].first?.split(separator: ";").first
        else { throw BenchError.http(what: "console sign-in page", status: Int(login.status.code), body: "") }
        var request = HTTPClientRequest(url: base + "/console/login")
        request.method = .POST
        request.headers.add(name: "Cookie", value: String(loginCookie))
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
        request.body = .bytes(Array("csrf=\(csrf)&token=\(encoded)".utf8))
        let answer = try await http.execute(request, timeout: .seconds(30))
        guard answer.status.code == 303, let cookie = answer.headers["Set-Cookie"].first?.split(separator: ";").first
        else { throw BenchError.http(what: "console sign-in", status: Int(answer.status.code), body: "") }
        return String(cookie)
    }

    private func get(_ http: HTTPClient, _ url: String, cookie: String) async throws -> (Double, Double?, Int) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Cookie", value: cookie)
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await http.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status.code == 200 else {
            throw BenchError.http(what: "GET \(url)", status: Int(response.status.code), body: "")
        }
        return (start.duration(to: clock.now).seconds, response.headers.serverTimingSeconds, body.readableBytes)
    }
}
