import Foundation
import Hummingbird
import RevisitAPI
import RevisitStore

/// `POST /v1/sync/push`, the push's only path: read by ``PushRequestReader`` instead of the generated decoder (a
/// quarter of a push's cost; `PushRequestReaderTests` hold it to the generated decoder), then
/// ``APIImplementation/push(_:clientId:mutations:)``, which answers in the spec's types. The innermost middleware,
/// so auth and body limits ran; the generated `syncPush` is never reached.
struct PushResponder<Context: RequestContext>: RouterMiddleware {
    let api: APIImplementation

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .post, RouteTable.syncPush.matches(request.uri.path) else {
            return try await next(request, context)
        }
        let principal = try api.caller(.device, .admin)
        let body = try await request.body.collect(upTo: api.configuration.limits.pushBytes)
        let decoded = try PushRequestReader.read(Array(buffer: body))
        let response = try await api.push(principal, clientId: decoded.clientId, mutations: decoded.mutations)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: try PushAnswer.encoder.encode(response)))
        )
    }
}

/// The push answer's encoder, made once: sorted keys and dates as the generated server writes them.
enum PushAnswer {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try FlexibleDateTranscoder().encode(date))
        }
        return encoder
    }()
}
