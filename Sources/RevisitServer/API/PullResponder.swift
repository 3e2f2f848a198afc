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
        let wait = try query["wait"].map { text in
            guard let seconds = Int(String(text)), (1...60).contains(seconds) else {
                throw APIProblem.malformed("wait must be a whole number of seconds within 1…60")
            }
            return seconds
        }
        var page: PullPage
        if wait != nil, let since, let known = api.changes.vouchedLatest(tenant: principal.tenantId),
            since == String(known)
        {
            // The tablet holds the newest version this instance has heard of: nothing to read yet. A commit not
            // heard of yet is announced later and wakes the wait below.
            page = PullPage(changes: [], cursor: since, hasMore: false)
        } else {
            page = try await api.store.pull(tenantId: principal.tenantId, since: since, limit: limit)
        }
        if let wait, page.changes.isEmpty {
            page = try await held(page, since: since, limit: limit, tenant: principal.tenantId, seconds: wait)
        }
        ServerMetrics.pullRows.increment(by: page.changes.count)
        let body = Self.encode(page, hlc: api.hlc.now())
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// Holds an empty page until the tenant's version moves past its cursor (then pulls again, sharing the query with
    /// the other polls that commit woke: ``WokenPulls``), or `seconds` pass, or the server shuts down; it holds no
    /// database connection meanwhile. A wake-up that finds nothing new (a commit
    /// of something pull does not show, or a recheck) waits on for the time left.
    private func held(
        _ empty: PullPage,
        since: String?,
        limit: Int,
        tenant: Int64,
        seconds: Int
    ) async throws -> PullPage {
        let changes = api.changes
        guard changes.admit(tenant: tenant) else {
            LiveMetrics.refused.increment()
            throw APIProblem.waitingFull
        }
        LiveMetrics.poll(started: true)
        defer {
            changes.release(tenant: tenant)
            LiveMetrics.poll(started: false)
        }
        let deadline = ContinuousClock.now + .seconds(seconds)
        var page = empty
        return try await endingAtShutdown(changes) {
            while page.changes.isEmpty {
                let left = deadline - ContinuousClock.now
                guard left > .zero, let seen = SyncCursor.version(of: page.cursor) else { break }
                switch await changes.wait(tenant: tenant, beyond: seen, timeout: left) {
                case .changed:
                    let store = api.store
                    page = try await api.wokenPulls.page(
                        tenant: tenant,
                        since: since,
                        limit: limit,
                        atLeast: changes.latest(tenant: tenant) ?? seen + 1
                    ) { try await store.pull(tenantId: tenant, since: since, limit: limit) }
                case .recheck:
                    page = try await api.store.pull(tenantId: tenant, since: since, limit: limit)
                case .timedOut, .closed, .cancelled:
                    return page
                }
            }
            return page
        }
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
