import Hummingbird

/// Limits and media types of request bodies, checked before anything is decoded: JSON bodies are collected up to
/// their route's limit (``Route/Body``: a push up to 5 MB, anything else 1 MB); attachment uploads stream, so only
/// their declared length is checked here and the handler counts the rest.
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: ServerConfiguration.Limits

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard [.post, .put, .patch].contains(request.method) else { return try await next(request, context) }
        let body = RouteTable.route(for: request.uri.path)?.body ?? .json
        if body == .streamed {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.attachmentBytes {
                throw APIProblem.payloadTooLarge(
                    "an attachment may be at most \(limits.attachmentBytes / 1_048_576) MB"
                )
            }
            return try await next(request, context)
        }
        let limit = body == .push ? limits.pushBytes : limits.jsonBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIProblem.payloadTooLarge("this path takes at most \(limit / 1_048_576) MB")
        }
        var request = request
        let collected: ByteBuffer
        do {
            collected = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIProblem.payloadTooLarge("this path takes at most \(limit / 1_048_576) MB")
        }
        if collected.readableBytes > 0 {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard type.hasPrefix("application/json") || type.hasPrefix("application/problem+json") else {
                throw APIProblem.unsupportedMediaType(
                    "send the body as Content-Type: application/json (got \(type.isEmpty ? "none" : type))"
                )
            }
        }
        return try await next(request, context)
    }
}
