import ArgumentParser
import Foundation
import Logging
import RevisitClient
import RevisitModel

/// The benchmark: seed a server, time a first sync in a child process (so its peak memory is the client's alone),
/// then time incremental syncs of one change each.
struct BenchRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the benchmark (the default).")

    @Option(help: "Inspections seeded on the server.") var inspections = 10_000
    @Option(help: "Checklist items per inspection (a template version with this many items is published).")
    var items = 30
    @Option(help: "Incremental syncs of one change each.") var incrementalRounds = 20
    @Option(help: "Folder for the databases (default: a temporary folder, removed at the end).") var workDir: String?

    func run() async throws {
        let folder = URL(
            filePath: workDir
                ?? FileManager.default.temporaryDirectory.appending(
                    path: "revisit-client-bench-\(UUID().uuidString)"
                ).path
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if workDir == nil { try? FileManager.default.removeItem(at: folder) } }

        let server = try await BenchServer.start(in: folder)
        do {
            let seeder = try await Seeder(server: server, itemsPerInspection: items)
            let seedStart = ContinuousClock.now
            let rows = try await seeder.seed(inspections: inspections)
            let seedTime = ContinuousClock.now - seedStart
            Log.note("seeded \(rows) rows in \(Format.seconds(seedTime))")

            let storePath = folder.appending(path: "client.sqlite").path
            let token = try await server.deviceToken()
            Log.note("first sync in a child process…")
            let child = try await SyncChild.spawn(server: server.baseURL, token: token, store: storePath)

            Log.note("incremental syncs…")
            let client = try RevisitClient(storePath: storePath)
            var rounds: [Duration] = []
            for round in 0..<incrementalRounds {
                try await seeder.changeOneItem(round: round)
                let start = ContinuousClock.now
                let summary = try await client.syncNow()
                rounds.append(ContinuousClock.now - start)
                guard summary.pulled == 1 else {
                    throw BenchFailure("incremental sync \(round) pulled \(summary.pulled) rows, expected 1")
                }
            }
            let fileSize = (try? FileManager.default.attributesOfItem(atPath: storePath)[.size] as? Int) ?? 0
            Report(
                inspections: inspections,
                itemsPerInspection: items,
                serverRows: rows,
                seedTime: seedTime,
                firstSync: child,
                incremental: rounds,
                storeBytes: fileSize
            ).print()
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// A failed benchmark step.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Progress on stderr, so stdout holds only the table.
enum Log {
    static func note(_ line: String) {
        FileHandle.standardError.write(Data("[client-bench] \(line)\n".utf8))
    }
}
