/// Progress of a sync, in the order it happens; a progress bar or a log line is drawn from these.
public enum SyncEvent: Sendable, Hashable {
    /// Photos to upload before the push (HEAD first, PUT when the server lacks them).
    case uploading(done: Int, total: Int)
    /// Pending mutations pushed so far, in batches of at most 500.
    case pushing(done: Int, total: Int)
    /// Rows pulled so far; the total is not known in advance (the cursor is opaque).
    case pulling(received: Int)
    /// The server said the cursor expired (410): the store dropped its copy of server rows (pending and rejected
    /// mutations stay) and pulls from the start.
    case resyncing
    /// A request failed with a network error, a 5xx or a 429 and is retried after `delay`.
    case retrying(attempt: Int, delay: Duration, reason: String)
    /// The sync completed.
    case finished(SyncSummary)
}
