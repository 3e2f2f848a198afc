/// How a sync retries requests that failed with a network error, a 5xx or a 429: exponential backoff with jitter,
/// so that a workshop's tablets coming back online together do not hit the server in lockstep.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt; 0 fails at once.
    public var maxRetries: Int
    /// The delay before the first retry; each further retry doubles it, up to ``maxDelay``.
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxRetries: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Four retries from 0.5 s (about 0.5 + 1 + 2 + 4 s at most): a mechanic waits seconds, not minutes, to learn
    /// that the server is away.
    public static let `default` = RetryPolicy()

    /// The delay before retry `attempt` (1 for the first retry): "equal jitter", half the exponential step plus a
    /// random part up to the other half, and never less than a `Retry-After` the server asked for.
    public func delay(
        forRetry attempt: Int,
        retryAfter: Duration? = nil,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let step = min(baseDelay * (1 << exponent), maxDelay)
        let jittered = step / 2 + step / 2 * random(0...1)
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, .seconds(300)))
    }
}
