import ArgumentParser
import AsyncHTTPClient
import Foundation

/// `revisit-bench live`: issue 13's targets. Idle tablets held on one instance (half long polls, half event streams):
/// the server's memory growth and idle CPU; then, with them all waiting, the time from a push's request to a probe
/// stream seeing its version, on the same instance and (with `--postgres`) on a second one.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Benchmark waiting for changes: idle held pulls and streams, push-to-seen latency."
    )

    /// `--server-binary` (given before or after the subcommand's name) is the root command's option: a copy declared
    /// here stayed nil, as ArgumentParser gave the value to the root, and the default binary ran whatever was given.
    @ParentCommand var root: RevisitBench
    @Option(help: "Idle tablets held: half long polls, half streams.") var tablets = 1000
    @Option(help: "Pushes timed, one at a time.") var pushes = 200
    @Option(help: "Seconds of idle CPU measured with every tablet held.") var idleSeconds = 10.0
    @Option(help: "A PostgreSQL database URL: run on it with two instances (the probe also on the second).")
    var postgres: String?

    mutating func run() async throws {
        let binary = try RevisitBench.serverBinaryURL(root.serverBinary)
        let (root, _) = try RevisitBench.makeWorkDir(nil, name: "live")
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(120),
            concurrentHTTP1ConnectionsPerHostSoftLimit: tablets + 64
        )
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var failure: (any Error)?
        do { try await measure(binary: binary, root: root, http: http) } catch { failure = error }
        try? await http.shutdown()
        try? FileManager.default.removeItem(atPath: root)
        try RevisitBench.exit(failure: failure)
    }

    private func measure(binary: URL, root: String, http: HTTPClient) async throws {
        let database = postgres ?? root + "/revisit.sqlite"
        let log = root + "/server.log"
        let token = try ServerProcess.createToken(binary: binary, database: database, tenant: "shop", logPath: log)
        let flags = ["--max-waiting-per-tenant", String(tablets + 100), "--max-waiting", String(tablets + 100)]
        var servers: [ServerProcess] = []
        defer { for server in servers { Task { await server.stop() } } }
        for _ in 0..<(postgres == nil ? 1 : 2) {
            servers.append(
                try await ServerProcess.start(
                    binary: binary,
                    database: database,
                    dataDir: root + "/data",
                    logPath: log,
                    extraArguments: flags,
                    healthy: { port in await SyncClient(http: http, port: port, token: token).isHealthy() }
                )
            )
        }
        let clients = servers.map { SyncClient(http: http, port: $0.port, token: token) }
        let a = clients[0]
        let cursor = try await Self.cursor(a)
        let before = servers[0].memory()?.residentKB ?? 0

        let held = Task {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<tablets {
                    if index % 2 == 0 {
                        group.addTask { await LiveWaiters.poll(a, cursor: cursor) }
                    } else {
                        group.addTask { try? await LiveWaiters.stream(a) }
                    }
                }
            }
        }
        defer { held.cancel() }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let polls = await LiveWaiters.metric("revisit_sync_held_polls", a)
            let streams = await LiveWaiters.metric("revisit_sync_streams", a)
            if Int(polls) >= tablets / 2 && Int(streams) >= tablets - tablets / 2 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let polls = Int(await LiveWaiters.metric("revisit_sync_held_polls", a))
        let streams = Int(await LiveWaiters.metric("revisit_sync_streams", a))
        Progress.say("live: \(polls) held polls and \(streams) streams on one instance")
        try await Task.sleep(for: .seconds(2))
        let after = servers[0].memory()?.residentKB ?? 0
        let cpuBefore = ProcessCPU.tree(root: servers[0].pid)
        let clock = ContinuousClock()
        let start = clock.now
        try await Task.sleep(for: .milliseconds(Int(idleSeconds * 1000)))
        let cpu = ProcessCPU.used(from: cpuBefore, to: ProcessCPU.tree(root: servers[0].pid))
        let idleShare = cpu / start.duration(to: clock.now).seconds

        var rows = [
            ["held polls / streams", "\(polls) / \(streams)", "\(tablets / 2) / \(tablets - tablets / 2)"],
            ["server memory growth", String(format: "%.1f MB", Double(after - before) / 1024), "≤ 30 MB"],
            ["server CPU while idle", String(format: "%.2f%% of a core", idleShare * 100), "< 2%"],
        ]
        for (index, probe) in clients.enumerated() {
            let (seen, answered) = try await pushToSeen(push: a, probe: probe)
            let place = index == 0 ? "same instance" : "another instance"
            let target = index == 0 ? "p50 ≤ 20 ms, p99 ≤ 200 ms" : "p99 ≤ 300 ms"
            rows.append(["push to seen, \(place)", Self.figures(seen), target])
            if index == 0 { rows.append(["push answered (part of the above)", Self.figures(answered), ""]) }
        }
        let store = postgres == nil ? "SQLite" : "PostgreSQL, 2 instances"
        print("Waiting for changes (\(store), \(tablets) idle tablets, \(pushes) pushes)")
        for line in TextTable.lines(header: ["measure", "measured", "target"], rows: rows) { print(line) }
    }

    private static func figures(_ latency: LatencySummary) -> String {
        String(format: "p50 %.1f ms, p99 %.1f ms, max %.1f ms", latency.p50, latency.p99, latency.max)
    }

    /// The time from sending a push to the probe stream's event carrying its version, one push at a time; and the
    /// time to the push's answer alone, which bounds it from below.
    private func pushToSeen(
        push: SyncClient,
        probe: SyncClient
    ) async throws -> (seen: LatencySummary, answered: LatencySummary) {
        let seen = ProbeCursor()
        let listening = Task { try await LiveWaiters.stream(probe) { seen.saw($0) } }
        defer { listening.cancel() }
        await seen.reach(0)
        try await Task.sleep(for: .milliseconds(200))
        let clientId = UUID().uuidString.lowercased()
        var samples: [Double] = []
        var answered: [Double] = []
        let clock = ContinuousClock()
        for index in 1...pushes {
            let started = clock.now
            let answer = try await push.push(Self.batch(clientId: clientId, id: Int64(index)))
            answered.append(started.duration(to: clock.now).seconds)
            guard answer.status == 200,
                let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
                let result = (object["results"] as? [[String: Any]])?.first,
                let version = (result["version"] as? NSNumber)?.int64Value
            else { throw BenchError.server("push answered \(answer.status): \(answer.bodyPreview)") }
            await seen.reach(version)
            samples.append(started.duration(to: clock.now).seconds)
            // Apart by more than the stream's 50 ms coalescing, so each push is its own event.
            try await Task.sleep(for: .milliseconds(60))
        }
        return (LatencySummary(seconds: samples), LatencySummary(seconds: answered))
    }

    private static func cursor(_ client: SyncClient) async throws -> String {
        let answer = try await client.pull(since: nil, limit: 1000)
        let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        return object?["cursor"] as? String ?? "0"
    }

    private static func batch(clientId: String, id: Int64) -> PushBatch {
        let wall = Int64(Date().timeIntervalSince1970 * 1000)
        let body = """
            {"clientId":"\(clientId)","mutations":[{"id":\(id),"entity":"customer",\
            "entityId":"\(UUID().uuidString.lowercased())","op":"upsert","baseVersion":0,\
            "hlc":{"wall":\(wall),"counter":0},"fields":{"name":"Walk-in \(id)"}}]}
            """
        return PushBatch(clientId: clientId, firstMutationId: id, count: 1, body: Data(body.utf8))
    }
}
