import RevisitModel

/// How a request to the server failed, as the sync loop decides what to do about it.
enum ServerFailure: Error, Sendable {
    /// No answer: connection refused, timeout, DNS (retried).
    case unreachable(String)
    /// A 5xx or a 429 (retried, no sooner than `retryAfter` when given).
    case transient(status: Int, retryAfter: Duration?, detail: String)
    /// 401 or 403: the token or its role.
    case refused(status: Int, detail: String)
    /// 409 `mutation-gap`: the server expects this id next.
    case mutationGap(expected: Int64)
    /// 410 `cursor-expired`.
    case cursorExpired
    /// 413: the request is over the server's limit.
    case tooLarge(String)
    /// Any other answer that retrying will not change.
    case failed(status: Int, problem: MutationProblem?)

    /// Whether the sync should try again after a delay.
    var isRetryable: Bool {
        switch self {
        case .unreachable, .transient: true
        default: false
        }
    }

    /// The delay the server asked for.
    var retryAfter: Duration? {
        if case .transient(_, let retryAfter, _) = self { return retryAfter }
        return nil
    }

    /// A short reason for a progress line.
    var reason: String {
        switch self {
        case .unreachable(let cause): cause
        case .transient(let status, _, let detail): "HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        case .refused(let status, let detail): "HTTP \(status): \(detail)"
        case .mutationGap(let expected): "mutation gap, the server expects \(expected)"
        case .cursorExpired: "cursor expired"
        case .tooLarge(let detail): "too large: \(detail)"
        case .failed(let status, let problem): "HTTP \(status)\(problem.map { ": \($0.detail)" } ?? "")"
        }
    }

    /// The error a caller of the library sees.
    func clientError(server: String) -> RevisitClientError {
        switch self {
        case .unreachable, .transient:
            RevisitClientError(
                .serverUnreachable,
                "cannot reach the server at \(server): \(reason); your changes are kept and go up at the next sync"
            )
        case .refused(let status, let detail):
            RevisitClientError(
                .tokenRefused,
                "the server refused the token (HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")); "
                    + "log in again with a device token (revisit login --server URL --token TOKEN)"
            )
        case .failed(_, let problem):
            RevisitClientError(.serverRefused, "the server refused the request: \(reason)", problem: problem)
        default:
            RevisitClientError(.serverRefused, "the server refused the request: \(reason)")
        }
    }
}
