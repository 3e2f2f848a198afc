extension RevisitClient {
    /// Keeps the store in sync until the iteration stops: syncs once, then follows the server's event stream
    /// (`GET /v1/sync/stream`) and syncs whenever the server announces a cursor beyond the store's, or edits are
    /// waiting to go up (edits through this client wake it at once; those of another process on the same store
    /// within ``WatchOptions/pendingCheckInterval``).
    ///
    /// When the stream cannot be opened it waits with long polls (`wait=30`) instead, and tries the stream again
    /// later. When the server cannot be reached or fails, it reports ``WatchEvent/offline(retryIn:reason:)`` and
    /// tries again with backoff, for as long as it runs; pending edits stay queued meanwhile. The sequence finishes
    /// when the task iterating it is cancelled (or the iteration stops), and throws only what no retry fixes: a
    /// refused token (``RevisitClientError/Code/tokenRefused``), no login, a damaged store.
    ///
    /// ```swift
    /// for try await event in client.watch() {
    ///     if case .synced(let summary) = event, summary.pulled > 0 { reloadInspectionList() }
    /// }
    /// ```
    public func watch(_ options: WatchOptions = .default) -> AsyncThrowingStream<WatchEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        let watcher = Watcher(client: self, options: options) { continuation.yield($0) }
        let task = Task {
            do {
                try await watcher.run()
                continuation.finish()
            } catch {
                continuation.finish(throwing: Task.isCancelled ? nil : error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Asks running watchers to sync now, as after a pull-to-refresh; edits through this client do so by themselves.
    public func nudge() {
        watchers.nudgeAll()
    }
}
