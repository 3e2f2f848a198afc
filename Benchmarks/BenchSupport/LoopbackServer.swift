import Hummingbird
import Logging
import ServiceLifecycle

/// An HTTP server on 127.0.0.1 at a port the kernel picks (a benchmark's CRM receiver), running until `stop()`.
public struct LoopbackServer: Sendable {
    public let port: Int
    private let group: ServiceGroup

    /// Starts serving `router` and returns once the port is known.
    public static func start(_ router: Router<BasicRequestContext>, logger: Logger) async throws -> LoopbackServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw LoopbackServerError()
        }
        return LoopbackServer(port: port, group: group)
    }

    private init(port: Int, group: ServiceGroup) {
        self.port = port
        self.group = group
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
    }
}

struct LoopbackServerError: Error, CustomStringConvertible {
    var description: String { "the loopback receiver did not report its port" }
}
