import Foundation
import HTTPTypes
import Hummingbird

/// `--public-url`: the address users reach the server at, which links are made from (the review links of issue 12)
/// and which decides whether answers carry HSTS.
enum PublicURL {
    /// The URL without a trailing slash; throws ``ConfigurationError`` unless it is an absolute http(s) URL with a
    /// host and no query or fragment.
    static func validate(_ text: String) throws -> URL {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme),
            url.host?.isEmpty == false, url.query == nil, url.fragment == nil
        else {
            throw ConfigurationError(
                "--public-url \(text) is not an http:// or https:// address such as https://garage.example"
            )
        }
        return url
    }
}

/// With an `https` public URL, every answer says so for a year (HSTS), so that a phone never falls back to plain
/// HTTP for the review page's host.
struct StrictTransportMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.strictTransportSecurity] = "max-age=31536000"
        return response
    }
}
