import Foundation
import Logging
import RevisitModel
import RevisitServer
import RevisitStore
import ServiceLifecycle

/// The sync server, in this process, on a free loopback port with its own SQLite database: the benchmark measures
/// the client, and the server's work happens in this (parent) process, not in the child whose memory is measured.
struct BenchServer: Sendable {
    let baseURL: String
    let store: any SyncStore
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    static func start(in folder: URL) async throws -> BenchServer {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.database = folder.appending(path: "server.sqlite").path
        configuration.dataDir = folder.appending(path: "server-data").path
        var logger = Logger(label: "revisit-client-bench")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try await buildApplication(configuration: configuration, logger: logger) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchFailure("the server did not start") }
        return BenchServer(
            baseURL: "http://127.0.0.1:\(port)",
            store: try await openStore(configuration),
            group: group,
            task: task
        )
    }

    func deviceToken() async throws -> String {
        try await store.createToken(tenantSlug: "bench", role: .device, name: "client-bench").1
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
