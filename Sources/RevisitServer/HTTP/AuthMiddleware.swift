import Foundation
import HTTPTypes
import Hummingbird
import RevisitStore

/// Resolves the bearer token to a principal before any handler runs; the routes ``RouteTable`` marks open (health,
/// readiness, metrics) need none, so that load balancers and Prometheus need no token. An address over the
/// wrong-token limit is answered 429 before the token is looked at, and a token seen valid moments ago is not
/// looked up again (``TokenGuard``).
struct AuthMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let store: any SyncStore
    let guardian: TokenGuard
    let proxies: TrustedProxies

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var principal: Principal?
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        let client = proxies.clientAddress(peer: peer, forwardedFor: request.headers[values: .xForwardedFor])
        if RouteTable.route(for: request.uri.path)?.access != .open {
            principal = try await authenticate(request, client: client)
        }
        var logger = context.logger
        logger[metadataKey: "client"] = "\(client)"
        if let principal {
            logger[metadataKey: "tenant"] = "\(principal.tenantSlug)"
            logger[metadataKey: "token"] = "\(principal.tokenId)"
        }
        return try await RequestInfo.$current.withValue(RequestInfo(principal: principal, logger: logger)) {
            try await next(request, context)
        }
    }

    private func authenticate(_ request: Request, client: String) async throws -> Principal {
        if let seconds = guardian.retryAfter(address: client) {
            ServerMetrics.wrongTokensLimited.increment()
            throw APIProblem.tooManyRequests(retryAfter: seconds)
        }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            guardian.recordFailure(address: client)
            throw APIProblem.unauthorized("send the token as Authorization: Bearer TOKEN")
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        if let cached = guardian.cachedPrincipal(token: token) {
            ServerMetrics.tokenCacheHits.increment()
            return cached
        }
        guard let principal = try await store.authenticate(token: token) else {
            guardian.recordFailure(address: client)
            throw APIProblem.unauthorized("the token is unknown or revoked")
        }
        guardian.remember(token: token, as: principal)
        return principal
    }
}
