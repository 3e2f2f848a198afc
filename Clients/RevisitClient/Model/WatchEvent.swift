/// What ``RevisitClient/watch(_:)`` reports while it keeps the store in sync.
public enum WatchEvent: Sendable, Hashable {
    /// A sync ran: the first one, one because the server announced a change beyond the store's cursor, one to send
    /// local edits, or one after a reconnection (which may find nothing new).
    case synced(SyncSummary)
    /// Waiting for the server to announce a change, over this channel.
    case listening(WatchChannel)
    /// The server could not be reached or failed; the watcher tries again after `retryIn`. Pending changes stay
    /// queued and go up once it is back.
    case offline(retryIn: Duration, reason: String)
}

/// How the watcher hears of changes on the server.
public enum WatchChannel: String, Sendable, Hashable {
    /// `GET /v1/sync/stream`: one connection that announces every commit at once.
    case stream
    /// `GET /v1/sync/pull?wait=…`: held pulls, when the stream cannot be opened (an older server, a proxy that
    /// buffers streams, an instance at its cap of waiters).
    case longPoll
}
