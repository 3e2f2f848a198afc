import Foundation
import Hummingbird
import RevisitModel
import RevisitStore

/// `GET /v1/sync/pull`, the pull's only path, written straight from the stored JSON of each row: re-reading and
/// re-encoding every row's fields through the spec's `Codable` types took half the server's time on a pull. This
/// middleware, the innermost, answers the path before the generated handler (``APIImplementation/syncPull(_:)``,
/// unreachable by design) could, and `PullResponderTests` hold its answer equal to the spec's `PullResponse`.
struct PullResponder<Context: RequestContext>: RouterMiddleware {
    let api: APIImplementation

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .get, RouteTable.syncPull.matches(request.uri.path) else {
            return try await next(request, context)
        }
        return try await respond(request)
    }

    func respond(_ request: Request) async throws -> Response {
        let principal = try api.caller(.device, .admin)
        let query = request.uri.queryParameters
        let limit = try api.listLimit(
            try query["limit"].map { text in
                guard let value = Int(String(text)) else { throw APIProblem.malformed("limit must be an integer") }
                return value
            },
            default: 500
        )
        let since = query["since"].map { String($0) }
        let page = try await api.store.pull(tenantId: principal.tenantId, since: since, limit: limit)
        ServerMetrics.pullRows.increment(by: page.changes.count)
        let body = Self.encode(page, hlc: api.hlc.now())
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// `{"changes": [...], "cursor", "hasMore", "hlc"}`, keys in the order the generated encoder sorts them.
    static func encode(_ page: PullPage, hlc: HLC) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(page.changes.reduce(64) { $0 + $1.fieldsJSON.utf8.count + 120 })
        out.append(contentsOf: #"{"changes":["#.utf8)
        for (index, change) in page.changes.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"deleted":"#.utf8)
            out.append(contentsOf: (change.deleted ? "true" : "false").utf8)
            out.append(contentsOf: #","entity":"#.utf8)
            out.append(contentsOf: JSONValue.string(change.entity).jsonData())
            out.append(contentsOf: #","entityId":"#.utf8)
            out.append(contentsOf: JSONValue.string(change.entityId).jsonData())
            out.append(contentsOf: #","fields":"#.utf8)
            out.append(contentsOf: change.fieldsJSON.utf8)
            out.append(contentsOf: #","version":"#.utf8)
            out.append(contentsOf: String(change.version).utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"cursor":"#.utf8)
        out.append(contentsOf: JSONValue.string(page.cursor).jsonData())
        out.append(contentsOf: #","hasMore":"#.utf8)
        out.append(contentsOf: (page.hasMore ? "true" : "false").utf8)
        out.append(contentsOf: #","hlc":{"counter":"#.utf8)
        out.append(contentsOf: String(hlc.counter).utf8)
        out.append(contentsOf: #","wall":"#.utf8)
        out.append(contentsOf: String(hlc.wall).utf8)
        out.append(contentsOf: "}}".utf8)
        return out
    }
}
