import AsyncHTTPClient
import Foundation

/// Customers opening one review page at once, each in a loop without pause, for a fixed time. A returning customer
/// sends the page's cookie back, so the server only reads (the state of a phone that opened the link before); a
/// first open sends none, so every answer makes a session and writes its row, as a new phone does.
struct ReviewPageLoad {
    enum Visit: String, Codable, Sendable {
        case returning = "returning (cookie)"
        case firstOpen = "first open (no cookie)"
    }

    struct Result: Codable, Sendable {
        var customers = 0
        var visit = Visit.returning
        var requests = 0
        /// Answers other than 200, or transport errors.
        var failures = 0
        /// Answers with `Set-Cookie`: a session row written.
        var sessionsWritten = 0
        var seconds = 0.0
        var requestsPerSecond = 0.0
        var latency = LatencySummary(seconds: [])
        /// The server's own time per answer (its `Server-Timing` header): the latency without the queue in front of
        /// the handler, the network and the bench.
        var serverTime = LatencySummary(seconds: [])
        var serverCores = 0.0
        var benchCores = 0.0
    }

    /// One customer's requests: wall times of the answers, failures, cookies set.
    private struct Tally: Sendable {
        var samples: [Double] = []
        var serverSamples: [Double] = []
        var failures = 0
        var sessions = 0
    }

    let http: HTTPClient
    let pageURL: String
    let customers: Int
    let visit: Visit
    let duration: Duration
    let serverPid: Int32

    /// One answer: its status, body size, whether it set a cookie (and which), and its wall time.
    struct Answer {
        let status: Int
        let bytes: Int
        let cookie: String?
        let seconds: Double
        /// From `Server-Timing: app;dur=MS`.
        var serverSeconds: Double?
        /// The body as text, when asked for (the load loop only counts bytes).
        var body: String?
    }

    func run() async throws -> Result {
        // Each returning customer opens the page once before the clock starts, to get its cookie.
        var cookies: [String?] = Array(repeating: nil, count: customers)
        if visit == .returning {
            for index in cookies.indices {
                let first = try await Self.get(http, pageURL, cookie: nil)
                guard first.status == 200, let cookie = first.cookie else {
                    throw BenchError.http(what: "first open", status: first.status, body: "no cookie set")
                }
                cookies[index] = cookie
            }
        }
        let serverCPU = ProcessCPU.seconds(String(serverPid))
        let benchCPU = ProcessCPU.seconds("self")
        let started = ContinuousClock.now
        let deadline = started + duration
        let http = http
        let pageURL = pageURL
        let parts = try await withThrowingTaskGroup(of: Tally.self) { group in
            for cookie in cookies {
                group.addTask {
                    var tally = Tally()
                    while ContinuousClock.now < deadline {
                        guard let answer = try? await Self.get(http, pageURL, cookie: cookie) else {
                            tally.failures += 1
                            continue
                        }
                        tally.samples.append(answer.seconds)
                        if let server = answer.serverSeconds { tally.serverSamples.append(server) }
                        if answer.status != 200 { tally.failures += 1 }
                        if answer.cookie != nil { tally.sessions += 1 }
                    }
                    return tally
                }
            }
            var all: [Tally] = []
            for try await tally in group { all.append(tally) }
            return all
        }
        let elapsed = (ContinuousClock.now - started).seconds
        var result = Result()
        result.customers = customers
        result.visit = visit
        let samples = parts.flatMap(\.samples)
        result.requests = samples.count
        result.failures = parts.reduce(0) { $0 + $1.failures }
        result.sessionsWritten = parts.reduce(0) { $0 + $1.sessions }
        result.seconds = elapsed
        result.requestsPerSecond = Double(samples.count) / elapsed
        result.latency = LatencySummary(seconds: samples)
        result.serverTime = LatencySummary(seconds: parts.flatMap(\.serverSamples))
        result.serverCores = (ProcessCPU.seconds(String(serverPid)) - serverCPU) / elapsed
        result.benchCores = (ProcessCPU.seconds("self") - benchCPU) / elapsed
        return result
    }

    /// `GET url`, with the review cookie when given, timed from sending to the last byte of the body.
    static func get(_ http: HTTPClient, _ url: String, cookie: String?, keepBody: Bool = false) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        if let cookie { request.headers.add(name: "Cookie", value: "revisit_review=\(cookie)") }
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 8 << 20)
        let seconds = start.duration(to: clock.now).seconds
        let set = response.headers["Set-Cookie"].first { $0.hasPrefix("revisit_review=") }
        let value = set.flatMap { $0.split(separator: ";").first }.map { String($0.dropFirst("revisit_review=".count)) }
        return Answer(
            status: Int(response.status.code),
            bytes: body.readableBytes,
            cookie: value,
            seconds: seconds,
            serverSeconds: response.headers.serverTimingSeconds,
            body: keepBody ? String(decoding: body.readableBytesView, as: UTF8.self) : nil
        )
    }
}
