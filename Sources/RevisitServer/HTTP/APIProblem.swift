import HTTPTypes
import RevisitModel
import RevisitStore

/// An RFC 9457 problem: the one error type handlers throw and ``ProblemMiddleware`` writes as problem+json.
struct APIProblem: Error, Sendable {
    var status: HTTPResponse.Status
    var type: String
    var title: String
    var detail: String
    var expectedMutationId: Int64?
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ type: String, _ title: String, _ detail: String) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
    }

    static func malformed(_ detail: String) -> APIProblem {
        APIProblem(.badRequest, "malformed-request", "Malformed request", detail)
    }
    static func unauthorized(_ detail: String) -> APIProblem {
        var problem = APIProblem(.unauthorized, "unauthorized", "Unauthorized", detail)
        problem.headers[.wwwAuthenticate] = "Bearer"
        return problem
    }
    /// 429 `too-many-requests` with `Retry-After`: an address sent too many wrong tokens (DESIGN section 9).
    static func tooManyRequests(retryAfter seconds: Int) -> APIProblem {
        var problem = APIProblem(
            .tooManyRequests,
            "too-many-requests",
            "Too many requests",
            "too many wrong tokens from this address; try again after \(seconds) seconds (Retry-After)"
        )
        problem.headers[.retryAfter] = String(seconds)
        return problem
    }
    static func forbidden(_ detail: String) -> APIProblem { APIProblem(.forbidden, "forbidden", "Forbidden", detail) }
    static func notFound(_ detail: String) -> APIProblem { APIProblem(.notFound, "not-found", "Not found", detail) }
    static func methodNotAllowed(_ allowed: [String]) -> APIProblem {
        var problem = APIProblem(
            .methodNotAllowed,
            "method-not-allowed",
            "Method not allowed",
            "this path answers \(allowed.joined(separator: ", "))"
        )
        problem.headers[.allow] = allowed.joined(separator: ", ")
        return problem
    }
    static func payloadTooLarge(_ detail: String) -> APIProblem {
        APIProblem(.contentTooLarge, "payload-too-large", "Payload too large", detail)
    }
    static func unsupportedMediaType(_ detail: String) -> APIProblem {
        APIProblem(.unsupportedMediaType, "unsupported-media-type", "Unsupported media type", detail)
    }
    static func validation(_ detail: String) -> APIProblem {
        APIProblem(.unprocessableContent, "validation", "Validation failed", detail)
    }
    static func hashMismatch(_ detail: String) -> APIProblem {
        APIProblem(.unprocessableContent, "hash-mismatch", "Hash mismatch", detail)
    }
    /// 503 `unavailable` with `Retry-After`. The detail is fixed: it says what the caller can do and never carries
    /// the database's own words (those go to the log, under the request id).
    static var unavailable: APIProblem {
        var problem = APIProblem(
            .serviceUnavailable,
            "unavailable",
            "Service unavailable",
            "the database cannot be reached; try again after \(retryAfterSeconds) seconds (Retry-After)"
        )
        problem.headers[.retryAfter] = "\(retryAfterSeconds)"
        return problem
    }
    /// 503 `unavailable` for a pull with `wait` or a stream when this instance holds as many as it may: the client
    /// polls without `wait` meanwhile, or tries again.
    static var waitingFull: APIProblem {
        var problem = APIProblem(
            .serviceUnavailable,
            "unavailable",
            "Service unavailable",
            "this server holds as many waiting pulls and streams as it may; pull without wait, or try again after "
                + "\(retryAfterSeconds) seconds (Retry-After)"
        )
        problem.headers[.retryAfter] = "\(retryAfterSeconds)"
        return problem
    }
    /// How long a client waits before it retries a 503.
    static let retryAfterSeconds = 5
    static let `internal` = APIProblem(
        .internalServerError,
        "internal",
        "Internal server error",
        "the server failed to answer; the failure is logged with this request's id"
    )

    /// The problem a store error stands for: one problem type per kind, and no `default`, so that a new kind
    /// does not compile until it has its answer.
    init(_ error: StoreError) {
        switch error.kind {
        case .notFound: self = .notFound(error.detail)
        case .mutationGap:
            self = APIProblem(.conflict, "mutation-gap", "Mutation id gap", error.detail)
            expectedMutationId = error.expectedMutationId
        case .cursorExpired: self = APIProblem(.gone, "cursor-expired", "Cursor expired", error.detail)
        case .malformed: self = .malformed(error.detail)
        case .validation: self = .validation(error.detail)
        case .invalidTransition: self = APIProblem(.conflict, "invalid-transition", "Invalid transition", error.detail)
        case .unavailable: self = .unavailable
        }
    }
}
