import Foundation
import Hummingbird
import RevisitStore

/// Resolves the bearer token to a principal before any handler runs; the health, readiness and metrics paths are
/// open so that load balancers and Prometheus need no token.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: any SyncStore
    static var openPaths: Set<String> { ["/health", "/ready", "/metrics"] }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var principal: Principal?
        if !Self.openPaths.contains(request.uri.path) {
            guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
                throw APIProblem.unauthorized("send the token as Authorization: Bearer TOKEN")
            }
            let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
            principal = try await store.authenticate(token: token)
            guard principal != nil else { throw APIProblem.unauthorized("the token is unknown or revoked") }
        }
        var logger = context.logger
        if let principal {
            logger[metadataKey: "tenant"] = "\(principal.tenantSlug)"
            logger[metadataKey: "token"] = "\(principal.tokenId)"
        }
        return try await RequestInfo.$current.withValue(RequestInfo(principal: principal, logger: logger)) {
            try await next(request, context)
        }
    }
}
