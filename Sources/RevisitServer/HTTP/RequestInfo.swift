import Logging
import RevisitStore

/// What the generated handlers need to know about the request they serve and cannot get from their typed input:
/// the caller and the request's logger (which carries the request id). Set by ``AuthMiddleware`` around the
/// handler, read through the task-local.
struct RequestInfo: Sendable {
    @TaskLocal static var current: RequestInfo?

    var principal: Principal?
    var logger: Logger
}
