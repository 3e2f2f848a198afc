import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request headers do not arrive within ``headerTimeout`` of its opening, or whose
/// request body stops arriving for ``bodyTimeout`` (DESIGN section 9): a client that sends half a header holds a
/// file descriptor for nothing. Between requests Hummingbird's own idle timeout closes kept-alive connections (60 s);
/// a request being answered (a held poll, a stream) has no deadline here.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var readingBody = false
    private var sawFirstHead = false

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, after: headerTimeout, reason: "header_timeout") }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        if !sawFirstHead, deadline == nil { arm(context, after: headerTimeout, reason: "header_timeout") }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            sawFirstHead = true
            readingBody = true
            arm(context, after: bodyTimeout, reason: "body_timeout")
        case .body:
            if readingBody { arm(context, after: bodyTimeout, reason: "body_timeout") }
        case .end:
            readingBody = false
            disarm()
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext, after timeout: TimeAmount, reason: String) {
        disarm()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self else { return }
            self.deadline = nil
            ServerMetrics.connectionsClosed(reason).increment()
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
