import AsyncHTTPClient
import Foundation
import Logging
import RevisitBenchSupport
import RevisitModel
import RevisitStore

/// Everything measured in one configuration: a fresh database (a new SQLite file, or a new PostgreSQL database),
/// `instances` servers on it, `concurrentClients` clients spread over the tenants and instances. Pushes, then pulls
/// from scratch (which see exactly the pushed rows), then webhook deliveries of follow-ups queued all at once.
struct ConfigurationRun {
    let index: Int
    let configuration: BenchConfiguration
    let binary: URL
    let directory: String
    let http: HTTPClient
    let options: RunOptions
    let postgres: PostgresTarget?

    /// A tenant's slug and its tokens: tablets sync with the device token, the CRM set-up uses the admin token.
    private struct Tenant {
        let slug: String
        let device: String
        let admin: String
    }

    /// Server, PostgreSQL and benchmark CPU so far, and when it was read.
    private struct CPUReading {
        let servers: Double
        let postgres: [Int32: Double]?
        let bench: Double
        let machine: Double
        let at: ContinuousClock.Instant
    }

    private var name: String { configuration.label }
    private var inspectionsPerBatch: Int { Workload.inspections(forRows: options.batchSize) }

    func run() async throws -> ConfigurationResult {
        let started = ContinuousClock.now
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (database, postgresName) = try await makeDatabase()
        var result: ConfigurationResult
        do {
            result = try await runServers(database: database)
        } catch {
            await dropDatabase(postgresName)
            throw error
        }
        await dropDatabase(postgresName)
        result.runSeconds = (ContinuousClock.now - started).seconds
        return result
    }

    /// A new SQLite file in the configuration's folder, or a new database on the PostgreSQL server.
    private func makeDatabase() async throws -> (database: String, postgresName: String?) {
        switch configuration.database {
        case .sqlite:
            let path = directory + "/revisit.sqlite"
            Progress.say("\(name): database \(path)")
            return (path, nil)
        case .postgres:
            guard let postgres else { throw BenchError.server("\(name): no PostgreSQL server given") }
            let databaseName = "revisit_bench_\(getpid())_\(index)"
            let url = try await PostgresAdmin.createDatabase(databaseName, serverURL: postgres.url)
            Progress.say("\(name): database \(PostgresOptions.redacted(url))")
            return (url, databaseName)
        }
    }

    private func dropDatabase(_ databaseName: String?) async {
        guard let databaseName, let postgres, ProcessRegistry.shared.interruption == nil else { return }
        do {
            try await PostgresAdmin.dropDatabase(databaseName, serverURL: postgres.url)
        } catch {
            Progress.say("\(name): could not drop database \(databaseName): \(error)")
        }
    }

    private func runServers(database: String) async throws -> ConfigurationResult {
        Progress.say("\(name): a device and an admin token for each of \(configuration.tenants) tenant(s)")
        var tenants: [Tenant] = []
        for number in 1...configuration.tenants {
            let slug = "bench-\(number)"
            let log = directory + "/tokens.log"
            let device = try ServerProcess.createToken(
                binary: binary,
                database: database,
                tenant: slug,
                role: "device",
                logPath: log
            )
            let admin = try ServerProcess.createToken(
                binary: binary,
                database: database,
                tenant: slug,
                role: "admin",
                logPath: log
            )
            tenants.append(Tenant(slug: slug, device: device, admin: admin))
        }

        var servers: [ServerProcess] = []
        do {
            for number in 1...configuration.instances {
                let dataDir = directory + "/data-\(number)"
                try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
                let http = http
                let token = tenants[0].device
                let server = try await ServerProcess.start(
                    binary: binary,
                    database: database,
                    dataDir: dataDir,
                    logPath: directory + "/server-\(number).log",
                    extraArguments: ["--allow-private-webhooks"],
                    healthy: { port in await SyncClient(http: http, port: port, token: token).isHealthy() }
                )
                servers.append(server)
            }
            Progress.say(
                "\(name): server pid(s) \(servers.map { "\($0.pid) on 127.0.0.1:\($0.port)" }.joined(separator: ", "))"
            )
            var result = try await measure(servers: servers, tenants: tenants)
            result.serverPeakMemoryMB = servers.compactMap { $0.memory() }.map { Double($0.peakKB) / 1024 }.max() ?? 0
            let errors = servers.flatMap { $0.errorLogLines() }
            result.serverErrorLogLines = errors.count
            for line in errors.prefix(5) { Progress.say("  SERVER ERROR: \(line)") }
            for server in servers { await server.stop() }
            return result
        } catch {
            if ProcessRegistry.shared.interruption == nil {
                for server in servers {
                    Progress.say("\(name) failed; the log of server \(server.pid) ends with:\n\(server.logTail())")
                }
            }
            for server in servers { await server.stop() }
            throw error
        }
    }

    private func measure(servers: [ServerProcess], tenants: [Tenant]) async throws -> ConfigurationResult {
        var result = ConfigurationResult()
        // Client c is a tablet of tenant c % tenants, talking to instance c % instances.
        let clients = (0..<options.concurrentClients).map { number in
            SyncClient(
                http: http,
                port: servers[number % servers.count].port,
                token: tenants[number % tenants.count].device
            )
        }
        // Warm-up (connections, the servers' pools): one empty pull per client, not measured.
        for client in clients {
            let exchange = try await client.pull(since: nil, limit: 1)
            guard exchange.status == 200 else {
                throw BenchError.http(what: "warm-up pull", status: exchange.status, body: exchange.bodyPreview)
            }
        }
        let rowsPerTenant = try await measurePush(
            clients: clients,
            servers: servers,
            tenants: tenants.count,
            into: &result
        )
        try await measurePull(clients: clients, servers: servers, rowsPerTenant: rowsPerTenant, into: &result)
        if options.webhookFollowups > 0 {
            try await measureWebhooks(servers: servers, tenants: tenants, into: &result)
        }
        return result
    }

    /// Every client sends `concurrentBatches` batches of new inspections, one after the other, all clients at once.
    /// Returns the rows each tenant got.
    private func measurePush(
        clients: [SyncClient],
        servers: [ServerProcess],
        tenants: Int,
        into result: inout ConfigurationResult
    ) async throws -> [Int] {
        var work: [(SyncClient, [PushBatch])] = []
        for (number, client) in clients.enumerated() {
            var store = ClientStore(seed: 3_000 + UInt64(number))
            var serial = number * options.concurrentBatches * inspectionsPerBatch
            var batches: [PushBatch] = []
            for _ in 0..<options.concurrentBatches {
                batches.append(try store.batch(count: options.batchSize, firstSerial: serial))
                serial += inspectionsPerBatch
            }
            work.append((client, batches))
        }
        let before = readCPU(servers)
        let answered = try await Self.pushAll(work)
        let after = readCPU(servers)
        let wall = (after.at - before.at).seconds

        var ledger = PushLedger()
        var rowsPerTenant = Array(repeating: 0, count: tenants)
        for (number, exchanges) in answered {
            var clientLedger = PushLedger()
            for (batch, exchange) in exchanges { try clientLedger.record(batch, exchange) }
            rowsPerTenant[number % tenants] += clientLedger.applied
            ledger.merge(clientLedger)
        }
        note(ledger, phase: "push", into: &result)
        result.mutationsPushed = answered.reduce(0) { $0 + $1.1.reduce(0) { $0 + $1.0.count } }
        result.pushMutationsPerSecond = Double(result.mutationsPushed) / wall
        result.pushLatency = LatencySummary(seconds: answered.flatMap { $0.1.map(\.1.seconds) })
        result.pushCPU = cores(from: before, to: after)
        Progress.say(
            "\(name): push, \(clients.count) clients: \(Format.grouped(result.mutationsPushed)) mutations, "
                + "\(Format.grouped(Int(result.pushMutationsPerSecond))) mutations/s, p50 "
                + "\(Format.fixed(result.pushLatency.p50, 1)) ms, p99 \(Format.fixed(result.pushLatency.p99, 1)) ms"
        )
        return rowsPerTenant
    }

    /// Every client pulls its tenant's rows from scratch (limit `pullLimit`, until `hasMore` is false), again and
    /// again until it has pulled as many rows as were pushed in all; all clients at once. Each pass is checked: it
    /// returns every row of the tenant once, versions increasing.
    private func measurePull(
        clients: [SyncClient],
        servers: [ServerProcess],
        rowsPerTenant: [Int],
        into result: inout ConfigurationResult
    ) async throws {
        let target = result.mutationsPushed
        let limit = options.pullLimit
        let before = readCPU(servers)
        let parts = try await withThrowingTaskGroup(of: PullTally.self) { group in
            for (number, client) in clients.enumerated() {
                let expected = rowsPerTenant[number % rowsPerTenant.count]
                group.addTask {
                    var tally = PullTally()
                    guard expected > 0 else { return tally }
                    while tally.rows < target {
                        let before = tally.rows
                        try await tally.pass(client, limit: limit, expected: expected)
                        if tally.rows == before { break }  // an empty pass (an anomaly already noted)
                    }
                    return tally
                }
            }
            var all: [PullTally] = []
            for try await part in group { all.append(part) }
            return all
        }
        let after = readCPU(servers)
        let wall = (after.at - before.at).seconds
        result.rowsPulled = parts.reduce(0) { $0 + $1.rows }
        result.pullPasses = parts.reduce(0) { $0 + $1.passes }
        result.pullRowsPerSecond = Double(result.rowsPulled) / wall
        result.pullLatency = LatencySummary(seconds: parts.flatMap(\.seconds))
        result.pullAnomalies = Array(parts.flatMap(\.anomalies).prefix(5))
        result.pullCPU = cores(from: before, to: after)
        Progress.say(
            "\(name): pull from scratch, \(clients.count) clients: \(Format.grouped(result.rowsPulled)) rows in "
                + "\(result.pullPasses) passes, \(Format.grouped(Int(result.pullRowsPerSecond))) rows/s, p50 "
                + "\(Format.fixed(result.pullLatency.p50, 1)) ms, p99 \(Format.fixed(result.pullLatency.p99, 1)) ms"
        )
        for anomaly in result.pullAnomalies { Progress.say("  PULL ANOMALY: \(anomaly)") }
    }

    /// Closed inspections with deferred items (a `followup.scheduled` event per item) are pushed with no webhook
    /// endpoint yet; then every tenant registers an endpoint on a loopback receiver and replays its events, which
    /// queues all deliveries at once. Measures from the replays to the last distinct delivery arriving; every
    /// instance's delivery worker takes part.
    private func measureWebhooks(
        servers: [ServerProcess],
        tenants: [Tenant],
        into result: inout ConfigurationResult
    ) async throws {
        let followups = options.webhookFollowups
        let inspections = (followups + Workload.itemCodes.count - 1) / Workload.itemCodes.count
        let perBatch = max(1, options.batchSize / Workload.mutationsPerClosedInspection)
        let dueDate = CalendarDate(Date(), in: TimeZone(identifier: "UTC")!).adding(days: 60).description
        // After the serials of the pushes, so that VINs (and vehicle ids) stay unique.
        let firstSerial = (options.concurrentClients + 1) * options.concurrentBatches * inspectionsPerBatch
        var work: [(SyncClient, [PushBatch])] = []
        for (number, tenant) in tenants.enumerated() {
            let serials = Array(stride(from: firstSerial + number, to: firstSerial + inspections, by: tenants.count))
            var store = ClientStore(seed: 5_000 + UInt64(number))
            var batches: [PushBatch] = []
            for start in stride(from: 0, to: serials.count, by: perBatch) {
                let chunk = serials[start..<min(start + perBatch, serials.count)]
                batches.append(try store.closedInspectionsBatch(serials: chunk, dueDate: dueDate))
            }
            let client = SyncClient(http: http, port: servers[number % servers.count].port, token: tenant.device)
            work.append((client, batches))
        }
        let seedStarted = ContinuousClock.now
        var ledger = PushLedger()
        for (_, exchanges) in try await Self.pushAll(work) {
            for (batch, exchange) in exchanges { try ledger.record(batch, exchange) }
        }
        note(ledger, phase: "follow-up seeding", into: &result)
        result.webhookSeedMutations = ledger.applied + ledger.rejected + ledger.duplicates
        Progress.say(
            "\(name): closed \(Format.grouped(inspections)) inspections (\(Format.grouped(result.webhookSeedMutations)) "
                + "mutations, \(Format.fixed((ContinuousClock.now - seedStarted).seconds, 1)) s)"
        )

        let receiver = CountingReceiver()
        var logger = Logger(label: "revisit-bench.receiver")
        logger.logLevel = .error
        let receiverServer = try await LoopbackServer.start(receiver.router(), logger: logger)
        do {
            var endpoints: [(SyncClient, String)] = []
            for (number, tenant) in tenants.enumerated() {
                let admin = SyncClient(http: http, port: servers[number % servers.count].port, token: tenant.admin)
                let id = try await admin.createWebhookEndpoint(
                    url: "http://127.0.0.1:\(receiverServer.port)/hook",
                    events: ["followup.scheduled"]
                )
                endpoints.append((admin, id))
            }
            let before = readCPU(servers)
            let queued = try await withThrowingTaskGroup(of: Int.self) { group in
                for (admin, id) in endpoints {
                    group.addTask { try await admin.replayWebhookEndpoint(id, since: "2000-01-01T00:00:00Z") }
                }
                return try await group.reduce(0, +)
            }
            let expected = inspections * Workload.itemCodes.count
            if queued != expected {
                Progress.say("  WEBHOOKS: replays queued \(queued) deliveries; \(expected) follow-ups were closed")
            }
            let deadline = before.at + .seconds(300)
            while receiver.count(of: "followup.scheduled") < queued {
                guard ContinuousClock.now < deadline else {
                    throw BenchError.server(
                        "\(name): \(receiver.count(of: "followup.scheduled")) of \(queued) webhook deliveries arrived "
                            + "within 300 s"
                    )
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            let after = readCPU(servers)
            // A moment for a delivery sent twice to show.
            try await Task.sleep(for: .milliseconds(500))
            result.webhookQueued = queued
            result.webhookSeconds = (after.at - before.at).seconds
            result.webhookDeliveriesPerSecond = Double(queued) / result.webhookSeconds
            result.webhookRequests = receiver.totalRequests
            result.webhookDistinct = receiver.distinctRequests
            result.webhookCPU = cores(from: before, to: after)
            Progress.say(
                "\(name): \(Format.grouped(queued)) webhook deliveries queued at once, all arrived in "
                    + "\(Format.fixed(result.webhookSeconds, 2)) s: \(Format.grouped(Int(result.webhookDeliveriesPerSecond))) "
                    + "/s; \(result.webhookRequests) requests for \(result.webhookDistinct) ids"
            )
        } catch {
            await receiverServer.stop()
            throw error
        }
        await receiverServer.stop()
    }

    /// Each client sends its batches in order, all clients at once; answers by client number, unchecked.
    private static func pushAll(
        _ work: [(SyncClient, [PushBatch])]
    ) async throws -> [(Int, [(PushBatch, HTTPExchange)])] {
        try await withThrowingTaskGroup(of: (Int, [(PushBatch, HTTPExchange)]).self) { group in
            for (number, (client, batches)) in work.enumerated() {
                group.addTask {
                    var out: [(PushBatch, HTTPExchange)] = []
                    for batch in batches { out.append((batch, try await client.push(batch))) }
                    return (number, out)
                }
            }
            var all: [(Int, [(PushBatch, HTTPExchange)])] = []
            for try await part in group { all.append(part) }
            return all.sorted { $0.0 < $1.0 }
        }
    }

    /// Adds a phase's rejected and duplicate mutations to the result and prints a few (never measured silently).
    private func note(_ ledger: PushLedger, phase: String, into result: inout ConfigurationResult) {
        result.rejected += ledger.rejected
        result.duplicates += ledger.duplicates
        result.rejectionExamples.append(contentsOf: ledger.examples.prefix(max(0, 5 - result.rejectionExamples.count)))
        guard ledger.rejected + ledger.duplicates > 0 else { return }
        Progress.say(
            "\(name): \(phase): \(ledger.rejected) REJECTED and \(ledger.duplicates) duplicate mutations, e.g.:"
        )
        for example in ledger.examples { Progress.say("  \(example)") }
    }

    private func readCPU(_ servers: [ServerProcess]) -> CPUReading {
        let postgresCPU: [Int32: Double]? =
            configuration.database == .postgres ? postgres?.postmasterPid.map { ProcessCPU.tree(root: $0) } : nil
        return CPUReading(
            servers: servers.reduce(0) { $0 + ProcessCPU.seconds(String($1.pid)) },
            postgres: postgresCPU,
            bench: ProcessCPU.seconds("self"),
            machine: ProcessCPU.machineBusySeconds(),
            at: .now
        )
    }

    private func cores(from before: CPUReading, to after: CPUReading) -> ConfigurationResult.CPU {
        let wall = max((after.at - before.at).seconds, 1e-9)
        var cpu = ConfigurationResult.CPU()
        cpu.servers = (after.servers - before.servers) / wall
        cpu.bench = (after.bench - before.bench) / wall
        if let first = before.postgres, let second = after.postgres {
            cpu.postgres = ProcessCPU.used(from: first, to: second) / wall
        }
        let machine = (after.machine - before.machine) / wall
        cpu.others = max(0, machine - cpu.servers - cpu.bench - (cpu.postgres ?? 0))
        return cpu
    }
}

/// One client's pulls from scratch: rows, passes, each request's wall time, and what looked wrong.
private struct PullTally: Sendable {
    var rows = 0
    var passes = 0
    var seconds: [Double] = []
    var anomalies: [String] = []

    /// One pull from no cursor until `hasMore` is false, which must give the tenant's `expected` rows once each,
    /// versions increasing.
    mutating func pass(_ client: SyncClient, limit: Int, expected: Int) async throws {
        var cursor: String?
        var pulled = 0
        var lastVersion: Int64 = 0
        var seen = Set<String>()
        seen.reserveCapacity(expected)
        while true {
            let exchange = try await client.pull(since: cursor, limit: limit)
            guard exchange.status == 200 else {
                throw BenchError.http(
                    what: "pull since \(cursor ?? "start")",
                    status: exchange.status,
                    body: exchange.bodyPreview
                )
            }
            seconds.append(exchange.seconds)
            let reply: SyncReplies.Pull
            do {
                reply = try JSONDecoder().decode(SyncReplies.Pull.self, from: exchange.body)
            } catch {
                throw BenchError.badReply(what: "pull answer", detail: "\(error); body: \(exchange.bodyPreview)")
            }
            for change in reply.changes {
                if change.version <= lastVersion { note("version \(change.version) after \(lastVersion)") }
                if !seen.insert(change.entityId).inserted { note("row \(change.entityId) came twice in one pass") }
                lastVersion = max(lastVersion, change.version)
            }
            pulled += reply.changes.count
            cursor = reply.cursor
            if !reply.hasMore { break }
            if reply.changes.isEmpty {
                note("hasMore true with no changes at cursor \(reply.cursor)")
                break
            }
        }
        if pulled != expected { note("a pass from scratch gave \(pulled) rows; the tenant has \(expected)") }
        rows += pulled
        passes += 1
    }

    private mutating func note(_ anomaly: String) {
        if anomalies.count < 5 { anomalies.append(anomaly) }
    }
}
