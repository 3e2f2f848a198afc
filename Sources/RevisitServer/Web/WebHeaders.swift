import HTTPTypes
import Hummingbird

/// The headers of every answer under `/r/` and `/assets/` (DESIGN section 13): nothing cached on a shared phone,
/// no address leaked to a photo's host, no type sniffing, no framing, and a policy that runs only the page's own
/// stylesheet and script (no inline code, so injected markup cannot run).
enum WebHeaders {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; media-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// The console's pages also open their own event stream (`/console/changes`), so they may connect to the server.
    static let consoleContentSecurityPolicy = contentSecurityPolicy + "; connect-src 'self'"

    static func apply(to headers: inout HTTPFields, cache: String = "no-store", policy: String = contentSecurityPolicy)
    {
        headers[.cacheControl] = cache
        headers[.referrerPolicy] = "no-referrer"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = policy
        headers[.xFrameOptions] = "DENY"
    }

    static func html(
        _ status: HTTPResponse.Status,
        _ body: String,
        extra: HTTPFields = [:],
        policy: String = contentSecurityPolicy
    ) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        apply(to: &headers, policy: policy)
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension WebHeaders {
    /// What a page cost here, apart from queueing and the network, as `Server-Timing: app;dur=MS` (a browser's
    /// developer tools show it, and the benchmarks read it).
    static func stampServerTiming(_ response: inout Response, since started: ContinuousClock.Instant) {
        let cost = (ContinuousClock.now - started) / .microseconds(1)
        response.headers[.serverTiming] = "app;dur=" + String(format: "%.2f", cost / 1000)
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let serverTiming = Self("Server-Timing")!
}
