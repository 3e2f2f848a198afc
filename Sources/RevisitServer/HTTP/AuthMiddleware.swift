import Foundation
import Hummingbird
import RevisitStore

/// Resolves the bearer token to a principal before any handler runs; the routes ``RouteTable`` marks open (health,
/// readiness, metrics) need none, so that load balancers and Prometheus need no token.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: any SyncStore

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var principal: Principal?
        if RouteTable.route(for: request.uri.path)?.access != .open {
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
