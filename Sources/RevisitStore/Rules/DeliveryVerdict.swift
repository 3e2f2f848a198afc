import Foundation

/// What an attempt's answer leads to (DESIGN section 7), decided without I/O so that the worker on every instance and
/// every backend applies the same rule, and tests can check it without a receiver.
public enum DeliveryVerdict {
    /// An endpoint that has failed for this long without a success in between is disabled.
    public static let failingLimit: TimeInterval = 5 * 86400

    /// 2xx succeeds; 410 disables the endpoint, and so do five days of failure; otherwise the delivery is retried on
    /// the schedule until it runs out, no sooner than a 429 or 503 asks with `Retry-After`.
    /// - Parameters:
    ///   - attempts: attempts made before this one.
    ///   - failingSince: when the endpoint's current run of failures began, as the claim read it.
    ///   - status: the answer's status code; nil when no answer came (refused, timed out, address not allowed).
    ///   - retryAfter: the answer's `Retry-After` in seconds.
    ///   - schedule: the delay before each retry, in seconds.
    ///   - jitter: the factor the delay is multiplied by (the caller draws it from 0.8…1.2), so that endpoints that
    ///     failed together are not all retried in the same second.
    public static func decide(
        attempts: Int,
        failingSince: Date?,
        status: Int?,
        retryAfter: TimeInterval?,
        at now: Date,
        schedule: [TimeInterval],
        jitter: Double
    ) -> AttemptOutcome.Verdict {
        if let status, (200..<300).contains(status) { return .succeeded }
        if status == 410 { return .disableEndpoint(reason: "gone") }
        if let failingSince, now.timeIntervalSince(failingSince) >= failingLimit {
            return .disableEndpoint(reason: "failing")
        }
        let attempt = attempts + 1
        guard attempt <= schedule.count else { return .failed }
        var delay = schedule[attempt - 1] * jitter
        if let retryAfter, status == 429 || status == 503 { delay = max(delay, retryAfter) }
        return .retry(at: now.addingTimeInterval(delay))
    }
}
