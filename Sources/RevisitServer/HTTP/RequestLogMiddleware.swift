import Hummingbird
import Logging

/// One log line per request at `level`, as Hummingbird's `LogRequestsMiddleware` writes it (same message and
/// metadata keys), but with a review link's token hidden (``ReviewPaths/redacted(_:)``): that middleware logs the
/// whole path, and a token in the log opens the customer's page to whoever reads it.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    init(_ level: Logger.Level) { self.level = level }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        context.logger.log(
            level: level,
            "Request",
            metadata: [
                "hb.request.path": .string(ReviewPaths.redacted(request.uri.description)),
                "hb.request.method": .string(request.method.rawValue),
            ]
        )
        return try await next(request, context)
    }
}
