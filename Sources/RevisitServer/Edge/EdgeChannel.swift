import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// What every accepted connection passes before HTTP: the connection limit (`--max-connections`) and, with
/// `--tls-cert`, TLS with the certificate loaded last (``TLSCertificates``), so that a SIGHUP's new certificate
/// serves new connections while open ones keep theirs.
struct EdgeChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let gate: ConnectionGate
    let tls: TLSCertificates?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = gate.admit()
        if admitted { channel.closeFuture.whenComplete { _ in gate.release() } }
        return channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            guard admitted else {
                ServerMetrics.connectionsClosed("max_connections").increment()
                // Over the limit: a plain-HTTP client is told why (503, Retry-After) before the close; a TLS one
                // cannot read plain text, so it is closed only.
                try operations.addHandler(RefuseHandler(answer: tls == nil))
                return
            }
            if let tls { try operations.addHandler(NIOSSLServerHandler(context: tls.current)) }
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension EdgeChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}

/// The count of open connections against `--max-connections`.
final class ConnectionGate: Sendable {
    let limit: Int
    private let open = Atomic(0)

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection if there is room; false (nothing counted) when the server is full.
    func admit() -> Bool {
        var now = open.load(ordering: .relaxed)
        while now < limit {
            let (exchanged, original) = open.compareExchange(expected: now, desired: now + 1, ordering: .relaxed)
            if exchanged { return true }
            now = original
        }
        return false
    }

    func release() { open.subtract(1, ordering: .relaxed) }
}

/// Sits first in a refused connection's pipeline: answers 503 in plain HTTP (when `answer`) and closes.
private final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let body = #"""
        {"type":"unavailable","title":"Service unavailable","status":503,\#
        "detail":"the server is at its connection limit; try again after 1 second (Retry-After)"}
        """#
    static let response =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 1\r\n"
        + "Connection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body

    let answer: Bool

    init(answer: Bool) { self.answer = answer }

    func handlerAdded(context: ChannelHandlerContext) {
        guard answer else {
            context.close(promise: nil)
            return
        }
        let buffer = context.channel.allocator.buffer(string: Self.response)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
