import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RevisitBenchSupport
import RevisitModel
import RevisitServer
import RevisitStore
import ServiceLifecycle

/// The issue 3 benchmark: deliveries per second with 10,000 pending events, the time from 10,000 follow-ups
/// falling due at once to the last delivery, and the release latency. Server, receiver and benchmark share one
/// process on loopback; build with `-c release` (Benchmarks/run-webhooks.sh).
@main
struct WebhookBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisit-webhook-bench",
        abstract: "Benchmark follow-up release and webhook delivery."
    )

    @Option(help: "Follow-ups to create (20 per inspection).") var followups = 10_000
    @Option(help: "Scheduler tick, e.g. 1s.") var schedulerInterval = "1s"

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "revisit-webhook-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let clock = OffsetClock()
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.database = directory.appending(path: "bench.sqlite").path
        configuration.dataDir = directory.appending(path: "data").path
        configuration.clock = clock
        configuration.allowPrivateWebhooks = true
        configuration.schedulerInterval = DurationText.parse(schedulerInterval) ?? .seconds(1)

        let store = try await openStore(configuration)
        let token = try await store.createToken(tenantSlug: "bench", role: .admin, name: nil).1
        guard let tenantId = try await store.authenticate(token: token)?.tenantId else {
            throw BenchFailure("no tenant")
        }

        let receiver = CountingReceiver()
        let receiverServer = try await LoopbackServer.start(receiver.router(), logger: logger)
        let receiverPort = receiverServer.port
        let endpoint = try await store.createEndpoint(
            tenantId: tenantId,
            url: "http://127.0.0.1:\(receiverPort)/hook",
            events: ["followup.scheduled"],
            description: "bench",
            secret: StandardWebhooks.generateSecret()
        )

        let inspections = max(1, followups / 20)
        let total = inspections * 20
        let due = CalendarDate(clock.now(), in: .gmt).adding(days: 60)
        print("seeding \(inspections) closed inspections with \(total) deferred items …")
        let seedStart = ContinuousClock.now
        try await Seeder(store: store, tenantId: tenantId).seed(inspections: inspections, dueDate: due.description)
        let seedTime = ContinuousClock.now - seedStart

        // Phase 1: the server starts with `total` pending deliveries.
        let app = try await buildApplication(configuration: configuration, logger: logger)
        let server = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let serverTask = Task { try await server.run() }
        let deliveryStart = ContinuousClock.now
        try await Self.wait { receiver.count(of: "followup.scheduled") >= total }
        let deliveryTime = ContinuousClock.now - deliveryStart

        // Phase 2: every follow-up falls due at the same instant.
        _ = try await store.updateEndpoint(
            tenantId: tenantId,
            id: endpoint.id,
            url: nil,
            events: ["followup.released"],
            description: nil,
            enabled: nil
        )
        guard
            let first = try await store.followups(
                tenantId: tenantId,
                state: .scheduled,
                vehicleId: nil,
                dueBefore: nil,
                covered: nil,
                cursor: nil,
                limit: 1
            ).items.first
        else { throw BenchFailure("no scheduled follow-ups") }
        let releaseAt = first.releaseAt
        clock.jump(to: releaseAt)
        let dueStart = ContinuousClock.now
        try await Self.wait { receiver.count(of: "followup.released") >= total }
        let dueTime = ContinuousClock.now - dueStart
        let latencies = receiver.arrivals(of: "followup.released").compactMap {
            RFC3339DateTime.date(from: $0.eventTimestamp)?.timeIntervalSince(releaseAt)
        }.sorted()

        await server.triggerGracefulShutdown()
        _ = try? await serverTask.value
        await receiverServer.stop()

        let tick = configuration.schedulerInterval
        let p50 = Self.percentile(latencies, 0.50)
        let p99 = Self.percentile(latencies, 0.99)
        let rate = Double(total) / deliveryTime.seconds
        let rows: [(String, String, String, String)] = [
            ("seed: close → follow-ups", "\(Self.fixed(Double(total) / seedTime.seconds, 0)) follow-ups/s", "", ""),
            ("deliveries, \(total) pending", "\(Self.fixed(rate, 0)) /s", "≥ 2,000 /s", rate >= 2000 ? "pass" : "FAIL"),
            (
                "\(total) due at once → last delivery", "\(Self.fixed(dueTime.seconds, 2)) s", "< 10 s",
                dueTime.seconds < 10 ? "pass" : "FAIL"
            ),
            ("release latency p50", "\(Self.fixed(p50, 3)) s", "", ""),
            (
                "release latency p99", "\(Self.fixed(p99, 3)) s", "≤ tick + 1 s = \(Self.fixed(tick.seconds + 1, 1)) s",
                p99 <= tick.seconds + 1 ? "pass" : "FAIL"
            ),
            ("peak memory (server + receiver + bench)", "\(Self.peakMemoryMB()) MB", "", ""),
        ]
        print("")
        print(
            "metric".padding(toLength: 42, withPad: " ", startingAt: 0)
                + "value".padding(toLength: 20, withPad: " ", startingAt: 0)
                + "target".padding(toLength: 24, withPad: " ", startingAt: 0) + "result"
        )
        for (name, value, target, result) in rows {
            print(
                name.padding(toLength: 42, withPad: " ", startingAt: 0)
                    + value.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + target.padding(toLength: 24, withPad: " ", startingAt: 0) + result
            )
        }
    }

    static func wait(timeout: Duration = .seconds(600), _ done: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !done() {
            guard ContinuousClock.now < deadline else { throw BenchFailure("timed out") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    static func peakMemoryMB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
