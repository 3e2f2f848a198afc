import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage and the connection's peer, which the wrong-token
/// limit and the logs count requests against (through ``TrustedProxies`` when a proxy is in front).
public struct RevisitRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
