import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The HTTP/1.1 server of DESIGN section 9: every connection passes ``EdgeChannel`` (limit, TLS), the request
/// headers and body have deadlines (``RequestDeadlineHandler``), and a kept-alive connection with no request in
/// progress is closed after the idle timeout.
enum EdgeServer {
    /// What `buildApplication` serves with, and the service that reads the certificate again on SIGHUP (when TLS).
    static func make(
        _ edge: ServerConfiguration.Edge,
        logger: Logger
    ) async throws -> (server: HTTPServerBuilder, reload: TLSReloadService?) {
        let certificates = try certificates(edge)
        let gate = ConnectionGate(limit: edge.maxConnections)
        let header = TimeAmount(edge.headerTimeout)
        let body = TimeAmount(edge.bodyTimeout)
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(headerTimeout: header, bodyTimeout: body)],
            idleTimeout: TimeAmount(edge.idleTimeout)
        )
        let server = HTTPServerBuilder { responder in
            EdgeChannel(base: HTTP1Channel(responder: responder, configuration: http), gate: gate, tls: certificates)
        }
        guard let certificates else { return (server, nil) }
        return (server, await TLSReloadService(certificates: certificates, logger: logger))
    }

    private static func certificates(_ edge: ServerConfiguration.Edge) throws -> TLSCertificates? {
        switch (edge.tlsCertificate, edge.tlsKey) {
        case (nil, nil): return nil
        case (let certificate?, let key?): return try TLSCertificates(certificate: certificate, key: key)
        case (nil, _): throw ConfigurationError("--tls-key needs --tls-cert")
        case (_, nil): throw ConfigurationError("--tls-cert needs --tls-key")
        }
    }
}
