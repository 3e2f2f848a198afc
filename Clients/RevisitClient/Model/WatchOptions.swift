/// How ``RevisitClient/watch(_:)`` listens and retries; the defaults suit a tablet.
public struct WatchOptions: Sendable, Hashable {
    /// How often the store is checked for edits to send when nothing else wakes the watcher. Edits made through the
    /// same ``RevisitClient`` wake it at once; this catches those of another process on the same store (the CLI).
    public var pendingCheckInterval: Duration
    /// Seconds a long poll asks the server to hold it (1…60).
    public var longPollWait: Int
    /// The delay after a failure: from `baseDelay`, doubling to `maxDelay`, with jitter, never below a server's
    /// `Retry-After`. Its `maxRetries` is not used: a watcher never gives up.
    public var backoff: RetryPolicy
    /// A stream with no byte for this long (the server writes a comment every 15 s) is taken for a dead connection.
    public var streamStallTimeout: Duration
    /// After the stream could not be opened, how long long polls are used before the stream is tried again.
    public var streamRetryInterval: Duration

    public init(
        pendingCheckInterval: Duration = .seconds(2),
        longPollWait: Int = 30,
        backoff: RetryPolicy = RetryPolicy(maxRetries: .max, baseDelay: .seconds(1), maxDelay: .seconds(30)),
        streamStallTimeout: Duration = .seconds(45),
        streamRetryInterval: Duration = .seconds(300)
    ) {
        self.pendingCheckInterval = pendingCheckInterval
        self.longPollWait = min(max(longPollWait, 1), 60)
        self.backoff = backoff
        self.streamStallTimeout = streamStallTimeout
        self.streamRetryInterval = streamRetryInterval
    }

    public static let `default` = WatchOptions()
}
