import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RevisitModel
import RevisitStore

/// `GET /v1/sync/stream` (DESIGN section 4): Server-Sent Events that say when the tenant's version moves, so a tablet
/// pulls as soon as another one's change commits. The current cursor comes first; then `event: version` with
/// `data: {"cursor": "…"}` at most once per ``coalescing`` while commits arrive, and a comment line every heartbeat
/// so proxies keep the connection. It ends when the client goes (at once: the inbound side's close cancels it) or
/// the server shuts down; it holds no database connection between events.
struct SyncStreamResponder<Context: RequestContext>: RouterMiddleware {
    let api: APIImplementation
    let heartbeat: Duration
    static var coalescing: Duration { .milliseconds(50) }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard RouteTable.syncStream.matches(request.uri.path) else { return try await next(request, context) }
        guard request.method == .get else { throw APIProblem.methodNotAllowed(RouteTable.syncStream.methods) }
        let principal = try api.caller(.device, .admin)
        return try await Self.stream(
            tenant: principal.tenantId,
            changes: api.changes,
            store: api.store,
            heartbeat: heartbeat,
            request: request,
            logger: context.logger
        )
    }

    /// The event stream of one tenant's version, for any caller that has found the tenant (the API's token, the
    /// console's session); throws ``APIProblem/waitingFull`` when the caps are reached.
    static func stream(
        tenant: Int64,
        changes: ChangeBroadcaster,
        store: any SyncStore,
        heartbeat: Duration,
        request: Request,
        logger: Logger
    ) async throws -> Response {
        guard changes.admit(tenant: tenant) else {
            LiveMetrics.refused.increment()
            throw APIProblem.waitingFull
        }
        let first: Int64
        do {
            first = try await store.currentVersion(tenantId: tenant)
        } catch {
            changes.release(tenant: tenant)
            throw error
        }
        LiveMetrics.stream(started: true)
        let body = ResponseBody { writer in
            defer {
                changes.release(tenant: tenant)
                LiveMetrics.stream(started: false)
            }
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    try await endingAtShutdown(changes) {
                        try await writer.write(Self.event(first))
                        var sent = first
                        var sentAt = ContinuousClock.now
                        while true {
                            let wake = await changes.wait(tenant: tenant, beyond: sent, timeout: heartbeat)
                            switch wake {
                            case .timedOut:
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                                continue
                            case .closed, .cancelled:
                                return
                            case .changed, .recheck:
                                let pause = Self.coalescing - (ContinuousClock.now - sentAt)
                                if pause > .zero { try await Task.sleep(for: pause) }
                                let version =
                                    wake == .recheck
                                    ? try await store.currentVersion(tenantId: tenant)
                                    : max(changes.latest(tenant: tenant) ?? sent, sent)
                                guard version > sent else { continue }
                                try await writer.write(Self.event(version))
                                sent = version
                                sentAt = ContinuousClock.now
                            }
                        }
                    }
                }
            } catch is CancellationError {
                // The client went away, or the server is shutting down.
            } catch {
                logger.debug("event stream ended", metadata: ["reason": "\(error)"])
            }
            try? await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream", .cacheControl: "no-store",
                HTTPField.Name("X-Accel-Buffering")!: "no",
            ],
            body: body
        )
    }

    static func event(_ version: Int64) -> ByteBuffer {
        ByteBuffer(string: "event: version\ndata: {\"cursor\":\"\(version)\"}\n\n")
    }
}
