import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import RevisitModel
import RevisitServer
import RevisitStore
import ServiceLifecycle

/// The real server on a loopback port with a temporary database and data folder, and a test clock.
public final class TestServer: Sendable {
    public let baseURL: String
    public let directory: URL
    public let clock: TestWallClock
    public let store: any SyncStore
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let dropDatabase: @Sendable () async -> Void

    public static func start(
        _ configure: @Sendable (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appending(path: "revisit-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = TestWallClock(Date())
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.database = directory.appending(path: "revisit.sqlite").path
        // The second pass of scripts/test.sh runs every end-to-end suite on PostgreSQL, a database per server.
        var dropDatabase: @Sendable () async -> Void = {}
        if TestPostgres.endToEndOnPostgres {
            let (url, drop) = try await TestPostgres.freshDatabase()
            configuration.database = url
            dropDatabase = drop
            // Swift Testing runs the suites' tests at once, dozens of servers on one cluster: at the default 10
            // connections each (and one listening) they passed its max_connections under load (scripts/with-postgres.sh).
            configuration.databasePoolSize = 4
        }
        configuration.dataDir = directory.appending(path: "data").path
        configuration.clock = clock
        configure(&configuration)
        do {
            return try await start(configuration, directory: directory, clock: clock, dropDatabase: dropDatabase)
        } catch {
            await dropDatabase()
            try? FileManager.default.removeItem(at: directory)
            // PSQLError's description hides what PostgreSQL said; a failing test should show it.
            if String(describing: type(of: error)).hasPrefix("PSQL") {
                throw TestFailure("the server did not start: \(String(reflecting: error))")
            }
            throw error
        }
    }

    private static func start(
        _ configuration: ServerConfiguration,
        directory: URL,
        clock: TestWallClock,
        dropDatabase: @escaping @Sendable () async -> Void
    ) async throws -> TestServer {
        var logger = Logger(label: "revisit-test")
        logger.logLevel = .warning
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try await buildApplication(configuration: configuration, logger: logger) { port in
            portContinuation.yield(port)
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = portStream.makeAsyncIterator()
        let baseURL: String
        let store: any SyncStore
        do {
            guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
            store = try await openStore(configuration)
            baseURL = "http://127.0.0.1:\(port)"
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
        return TestServer(
            baseURL: baseURL,
            directory: directory,
            clock: clock,
            store: store,
            group: group,
            task: task,
            dropDatabase: dropDatabase
        )
    }

    private init(
        baseURL: String,
        directory: URL,
        clock: TestWallClock,
        store: any SyncStore,
        group: ServiceGroup,
        task: Task<Void, any Error>,
        dropDatabase: @escaping @Sendable () async -> Void
    ) {
        self.baseURL = baseURL
        self.directory = directory
        self.clock = clock
        self.store = store
        self.group = group
        self.task = task
        self.dropDatabase = dropDatabase
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        (store as? PostgresSyncStore)?.close()
        await dropDatabase()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A token of a role in a tenant, made as `revisit-server token create` makes it.
    public func token(_ tenant: String = "acme", _ role: Role = .device) async throws -> String {
        try await store.createToken(tenantSlug: tenant, role: role, name: nil).1
    }

    /// Runs `body` against a fresh server and stops it afterwards, also when the body fails.
    public static func with<T>(
        _ configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let server = try await start(configure)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
