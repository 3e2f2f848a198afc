import AsyncHTTPClient
import Foundation
import RevisitModel

/// Everything measured at one size: a fresh server and database, seeded to `size` rows, then pulls (at exactly
/// `size` rows stored), then pushes (which add rows), then the server's memory.
struct SizeRun {
    let size: Int
    let binary: URL
    let directory: String
    let http: HTTPClient
    let options: RunOptions

    private var inspectionsPerBatch: Int { Workload.inspections(forRows: options.batchSize) }

    func run() async throws -> SizeResult {
        let clock = ContinuousClock()
        let started = clock.now
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let database = directory + "/revisit.sqlite"
        let logPath = directory + "/server.log"

        Progress.say("size \(Format.size(size)): creating a device token and starting \(binary.path)")
        let token = try ServerProcess.createToken(
            binary: binary,
            database: database,
            tenant: "bench",
            logPath: logPath
        )
        let http = http
        let server = try await ServerProcess.start(
            binary: binary,
            database: database,
            dataDir: directory + "/data",
            logPath: logPath,
            healthy: { port in await SyncClient(http: http, port: port, token: token).isHealthy() }
        )
        Progress.say("size \(Format.size(size)): server pid \(server.pid) on 127.0.0.1:\(server.port)")
        let client = SyncClient(http: http, port: server.port, token: token)

        var result = SizeResult()
        let clientCPUStart = ProcessCPU.seconds("self")
        do {
            try await measure(client: client, serverPid: String(server.pid), into: &result)
            result.serverCPUSeconds = ProcessCPU.seconds(String(server.pid))
            result.clientCPUSeconds = ProcessCPU.seconds("self") - clientCPUStart
            if let memory = server.memory() {
                result.serverPeakMemoryMB = Double(memory.peakKB) / 1024
                result.serverResidentMemoryMB = Double(memory.residentKB) / 1024
            }
            result.serverErrorLogLines = server.errorLogLines().count
        } catch {
            if ProcessRegistry.shared.interruption == nil {
                Progress.say("size \(Format.size(size)) failed; the server's log ends with:\n\(server.logTail())")
            }
            await server.stop()
            throw error
        }
        await server.stop()
        result.databaseMB = databaseMegabytes(database)
        result.runSeconds = (clock.now - started).seconds
        return result
    }

    private func measure(client: SyncClient, serverPid: String, into result: inout SizeResult) async throws {
        /// Runs a phase and gives the server's CPU over wall time during it.
        func serverCores(_ phase: () async throws -> Void) async throws -> Double {
            let cpu = ProcessCPU.seconds(serverPid)
            let started = ContinuousClock.now
            try await phase()
            return (ProcessCPU.seconds(serverPid) - cpu) / (ContinuousClock.now - started).seconds
        }
        var ledger = PushLedger()

        // Seed: `size` rows from `seedClients` concurrent stores.
        let seedStart = ContinuousClock.now
        let seeded = try await seed(client: client)
        ledger.merge(seeded)
        result.seedSeconds = (ContinuousClock.now - seedStart).seconds
        result.rowsStored = seeded.applied
        result.seedMutationsPerSecond = Double(size) / result.seedSeconds
        Progress.say(
            "size \(Format.size(size)): seeded \(Format.grouped(seeded.applied)) rows in "
                + "\(Format.fixed(result.seedSeconds, 1)) s (\(Format.grouped(Int(result.seedMutationsPerSecond))) "
                + "mutations/s incl. client JSON building), \(seeded.rejected) rejected"
        )
        try checkClean(seeded, phase: "seeding")

        // Warm-up (connection, caches): a few pulls that are not measured.
        for since in [0, ledger.maxVersion / 2, max(0, ledger.maxVersion - 1)] {
            let exchange = try await client.pull(since: String(since), limit: options.latencyPullLimit)
            guard exchange.status == 200 else {
                throw BenchError.http(what: "warm-up pull", status: exchange.status, body: exchange.bodyPreview)
            }
        }

        let maxVersion = ledger.maxVersion
        result.serverCoresPullFromScratch = try await serverCores {
            try await measurePullFromScratch(client: client, maxVersion: maxVersion, into: &result)
        }
        try await measureRandomPulls(client: client, maxVersion: ledger.maxVersion, into: &result)

        var nextSerial = ((size + options.batchSize - 1) / options.batchSize) * inspectionsPerBatch
        var single = PushLedger()
        result.serverCoresPush1 = try await serverCores {
            single = try await measurePushOneClient(client: client, nextSerial: &nextSerial, into: &result)
        }
        ledger.merge(single)
        var concurrent = PushLedger()
        result.serverCoresPush8 = try await serverCores {
            concurrent = try await measurePushConcurrent(client: client, nextSerial: &nextSerial, into: &result)
        }
        ledger.merge(concurrent)

        result.rowsAtEnd = ledger.applied
        result.maxVersion = ledger.maxVersion
        result.applied = ledger.applied
        result.rejected = ledger.rejected
        result.duplicates = ledger.duplicates
        result.rejectionExamples = ledger.examples
    }

    /// Pushes `size` new rows in batches; client `w` of `k` sends batches w, w+k, w+2k… in order.
    private func seed(client: SyncClient) async throws -> PushLedger {
        let batchSize = options.batchSize
        let batchCount = (size + batchSize - 1) / batchSize
        let workers = max(1, min(options.seedClients, batchCount))
        let perBatch = inspectionsPerBatch
        let size = size
        let progress = SeedProgress(total: size)
        return try await withThrowingTaskGroup(of: PushLedger.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var store = ClientStore(seed: 1_000 + UInt64(worker))
                    var ledger = PushLedger()
                    var index = worker
                    while index < batchCount {
                        let count = min(batchSize, size - index * batchSize)
                        let batch = try store.batch(count: count, firstSerial: index * perBatch)
                        try ledger.record(batch, try await client.push(batch))
                        await progress.advance(by: count)
                        index += workers
                    }
                    return ledger
                }
            }
            var total = PushLedger()
            for try await ledger in group { total.merge(ledger) }
            return total
        }
    }

    /// Pulls with `limit` 1000 from no cursor until `hasMore` is false, or until `pullCap` rows.
    private func measurePullFromScratch(
        client: SyncClient,
        maxVersion: Int64,
        into result: inout SizeResult
    )
        async throws
    {
        let clock = ContinuousClock()
        var cursor: String?
        var rows = 0
        var requestSeconds: [Double] = []
        var lastVersion: Int64 = 0
        var seen = Set<String>()
        let started = clock.now
        while true {
            let exchange = try await client.pull(since: cursor, limit: options.pullLimit)
            guard exchange.status == 200 else {
                throw BenchError.http(
                    what: "pull since \(cursor ?? "start")",
                    status: exchange.status,
                    body: exchange.bodyPreview
                )
            }
            requestSeconds.append(exchange.seconds)
            let reply = try decodePull(exchange)
            for change in reply.changes {
                if change.version <= lastVersion, result.pullAnomalies.count < 5 {
                    result.pullAnomalies.append("version \(change.version) after \(lastVersion)")
                }
                if !seen.insert(change.entityId).inserted, result.pullAnomalies.count < 5 {
                    result.pullAnomalies.append("row \(change.entityId) came twice")
                }
                lastVersion = max(lastVersion, change.version)
            }
            rows += reply.changes.count
            cursor = reply.cursor
            if !reply.hasMore { break }
            if rows >= options.pullCap {
                result.pullCapped = true
                break
            }
            if reply.changes.isEmpty {
                result.pullAnomalies.append("hasMore true with no changes at cursor \(reply.cursor)")
                break
            }
        }
        let wall = (clock.now - started).seconds
        if !result.pullCapped, rows != result.rowsStored {
            result.pullAnomalies.append("a full pull gave \(rows) rows; \(result.rowsStored) are stored")
        }
        if !result.pullCapped, lastVersion != maxVersion {
            result.pullAnomalies.append("a full pull ended at version \(lastVersion); pushes reached \(maxVersion)")
        }
        result.pullRows = rows
        result.pullRowsPerSecond = Double(rows) / requestSeconds.reduce(0, +)
        result.pullRowsPerSecondWall = Double(rows) / wall
        result.pullLatency = LatencySummary(seconds: requestSeconds)
        Progress.say(
            "size \(Format.size(size)): pulled \(Format.grouped(rows)) rows from scratch"
                + (result.pullCapped ? " (capped)" : "") + ": \(Format.grouped(Int(result.pullRowsPerSecond))) rows/s "
                + "in requests, \(Format.grouped(Int(result.pullRowsPerSecondWall))) rows/s with decoding"
        )
        for anomaly in result.pullAnomalies { Progress.say("  PULL ANOMALY: \(anomaly)") }
    }

    /// `latencyPulls` pulls of 500 rows from random cursors (so that each can fill its page).
    private func measureRandomPulls(
        client: SyncClient,
        maxVersion: Int64,
        into result: inout SizeResult
    )
        async throws
    {
        var rng = SplitMix64(seed: 7 &+ UInt64(size))
        let limit = options.latencyPullLimit
        let upper = max(0, maxVersion - Int64(limit))
        var samples: [Double] = []
        for _ in 0..<options.latencyPulls {
            let since = Int64.random(in: 0...upper, using: &rng)
            let exchange = try await client.pull(since: String(since), limit: limit)
            guard exchange.status == 200 else {
                throw BenchError.http(what: "pull since \(since)", status: exchange.status, body: exchange.bodyPreview)
            }
            samples.append(exchange.seconds)
            if try decodePull(exchange).changes.count != min(limit, size) { result.pull500ShortPages += 1 }
        }
        result.pull500Latency = LatencySummary(seconds: samples)
        Progress.say(
            "size \(Format.size(size)): \(samples.count) pulls of \(limit) rows at random cursors: p50 "
                + "\(Format.fixed(result.pull500Latency.p50, 2)) ms, p99 \(Format.fixed(result.pull500Latency.p99, 2)) ms"
                + (result.pull500ShortPages > 0 ? ", \(result.pull500ShortPages) short pages" : "")
        )
    }

    /// One client store sends `pushBatches` batches of new inspections, one after the other.
    private func measurePushOneClient(
        client: SyncClient,
        nextSerial: inout Int,
        into result: inout SizeResult
    )
        async throws -> PushLedger
    {
        var store = ClientStore(seed: 2_000)
        var batches: [PushBatch] = []
        for _ in 0..<options.pushBatches {
            batches.append(try store.batch(count: options.batchSize, firstSerial: nextSerial))
            nextSerial += inspectionsPerBatch
        }
        let clock = ContinuousClock()
        let started = clock.now
        var exchanges: [HTTPExchange] = []
        for batch in batches { exchanges.append(try await client.push(batch)) }
        let wall = (clock.now - started).seconds
        var ledger = PushLedger()
        for (batch, exchange) in zip(batches, exchanges) { try ledger.record(batch, exchange) }
        try checkClean(ledger, phase: "push, 1 client")
        let mutations = batches.reduce(0) { $0 + $1.count }
        result.push1MutationsPerSecond = Double(mutations) / wall
        result.push1Latency = LatencySummary(seconds: exchanges.map(\.seconds))
        Progress.say(
            "size \(Format.size(size)): push, 1 client: \(Format.grouped(mutations)) mutations, "
                + "\(Format.grouped(Int(result.push1MutationsPerSecond))) mutations/s, p50 "
                + "\(Format.fixed(result.push1Latency.p50, 1)) ms"
        )
        return ledger
    }

    /// `concurrentClients` client stores each send `concurrentBatches` batches, all at once.
    private func measurePushConcurrent(
        client: SyncClient,
        nextSerial: inout Int,
        into result: inout SizeResult
    )
        async throws -> PushLedger
    {
        var perClient: [[PushBatch]] = []
        for index in 0..<options.concurrentClients {
            var store = ClientStore(seed: 3_000 + UInt64(index))
            var batches: [PushBatch] = []
            for _ in 0..<options.concurrentBatches {
                batches.append(try store.batch(count: options.batchSize, firstSerial: nextSerial))
                nextSerial += inspectionsPerBatch
            }
            perClient.append(batches)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let answered = try await withThrowingTaskGroup(of: [(PushBatch, HTTPExchange)].self) { group in
            for batches in perClient {
                group.addTask {
                    var out: [(PushBatch, HTTPExchange)] = []
                    for batch in batches { out.append((batch, try await client.push(batch))) }
                    return out
                }
            }
            var all: [(PushBatch, HTTPExchange)] = []
            for try await part in group { all.append(contentsOf: part) }
            return all
        }
        let wall = (clock.now - started).seconds
        var ledger = PushLedger()
        for (batch, exchange) in answered { try ledger.record(batch, exchange) }
        try checkClean(ledger, phase: "push, \(options.concurrentClients) clients")
        let mutations = answered.reduce(0) { $0 + $1.0.count }
        result.push8MutationsPerSecond = Double(mutations) / wall
        result.push8Latency = LatencySummary(seconds: answered.map(\.1.seconds))
        Progress.say(
            "size \(Format.size(size)): push, \(options.concurrentClients) clients: \(Format.grouped(mutations)) "
                + "mutations, \(Format.grouped(Int(result.push8MutationsPerSecond))) mutations/s, p50 "
                + "\(Format.fixed(result.push8Latency.p50, 1)) ms"
        )
        return ledger
    }

    /// Prints rejected or duplicate mutations (they are counted in the table, never measured silently).
    private func checkClean(_ ledger: PushLedger, phase: String) throws {
        guard ledger.rejected + ledger.duplicates > 0 else { return }
        Progress.say(
            "size \(Format.size(size)): \(phase): \(ledger.rejected) REJECTED and \(ledger.duplicates) duplicate "
                + "mutations, e.g.:"
        )
        for example in ledger.examples { Progress.say("  \(example)") }
    }

    private func decodePull(_ exchange: HTTPExchange) throws -> SyncReplies.Pull {
        do {
            return try JSONDecoder().decode(SyncReplies.Pull.self, from: exchange.body)
        } catch {
            throw BenchError.badReply(what: "pull answer", detail: "\(error); body: \(exchange.bodyPreview)")
        }
    }

    private func databaseMegabytes(_ database: String) -> Double {
        let files = [database, database + "-wal", database + "-shm"]
        let bytes = files.compactMap {
            (try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? NSNumber
        }.reduce(0) { $0 + $1.int64Value }
        return Double(bytes) / 1_048_576
    }
}
