import Foundation
import OpenAPIRuntime
import RevisitModel

/// Keeps a store in sync until cancelled (DESIGN section 4, "Waiting for changes"): a sync, then listening for the
/// server's announcements and syncing whenever one is beyond the store's cursor or edits are waiting to go up.
///
/// Every sync is an ordinary ``RevisitClient/syncNow(progress:)``, so the watcher adds no state of its own to lose:
/// whatever fails, the next sync finds the queue and the cursor where the last one left them. The listener only
/// says *when* to sync, so a missed announcement costs latency, never data; each reconnection syncs once to cover
/// the time it was not listening.
struct Watcher: Sendable {
    let client: RevisitClient
    let options: WatchOptions
    let emit: @Sendable (WatchEvent) -> Void

    func run() async throws {
        var failures = 0
        var needsSync = true
        var streamAgainAt = ContinuousClock.now
        while !Task.isCancelled {
            let signals = WatchSignals()
            do {
                if needsSync {
                    try await sync()
                    needsSync = false
                }
                let channel: WatchChannel = ContinuousClock.now >= streamAgainAt ? .stream : .longPoll
                emit(.listening(channel))
                try await listen(on: channel, signals)
                // The stream ended (the server shut down): sync again, which tells whether it is still there.
                needsSync = true
                if signals.isHealthy { failures = 0 } else { throw ServerFailure.unreachable("the server hung up") }
            } catch is StreamUnavailable {
                streamAgainAt = .now + options.streamRetryInterval
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                let (retryAfter, reason) = try Self.retryable(error, server: client)
                if signals.isHealthy { failures = 0 }
                failures += 1
                needsSync = true
                let delay = options.backoff.delay(forRetry: failures, retryAfter: retryAfter)
                emit(.offline(retryIn: delay, reason: reason))
                do { try await Task.sleep(for: delay) } catch { return }
            }
        }
    }

    private func sync() async throws {
        emit(.synced(try await client.syncNow()))
    }

    /// Listens on `channel` and syncs when woken, until the listener ends (returns) or anything fails (throws).
    private func listen(on channel: WatchChannel, _ signals: WatchSignals) async throws {
        let state = try client.store.state()
        guard let serverURL = state.serverURL, let token = state.token else {
            throw RevisitClientError(.notLoggedIn, "not logged in: run revisit login --server URL --token TOKEN")
        }
        // The stream outlives any request deadline, so it has a transport without one (its stall timer replaces
        // it); a long poll ends within its `wait` and keeps the usual deadline for a connection that went dead.
        let api = ServerAPI(
            serverURL: serverURL,
            token: token,
            transport: channel == .stream ? client.streamTransport : client.transport
        )
        client.watchers.add(signals)
        defer { client.watchers.remove(signals) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            defer { group.cancelAll() }
            group.addTask {
                do {
                    switch channel {
                    case .stream: try await follow(api, signals)
                    case .longPoll: try await poll(api, signals)
                    }
                    signals.end(.finished)
                } catch {
                    signals.end(.failed(error))
                }
            }
            group.addTask { [interval = options.pendingCheckInterval] in
                while true {
                    try await Task.sleep(for: interval)
                    signals.tick()
                }
            }
            for await _ in signals.bell {
                let wake = signals.take()
                switch wake.outcome {
                case .failed(let error): throw error
                case .finished: return
                case .running: try await syncIfDue(wake)
                }
            }
        }
    }

    private func syncIfDue(_ wake: WatchSignals.Wake) async throws {
        let own = try client.store.state().cursor
        let announced = wake.announced.map { isCursor($0, beyond: own) } ?? false
        if wake.nudged || announced {
            try await sync()
        } else if try await client.store.pendingCount() > 0 {
            try await sync()
        }
    }

    /// Reads the event stream, announcing each `version` event's cursor, until the server ends it; a stream that
    /// stays quiet past the stall timeout (three missed keep-alives) is dropped as a dead connection.
    private func follow(_ api: ServerAPI, _ signals: WatchSignals) async throws {
        let body = try await api.openStream()
        signals.touched()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var parser = ServerSentEventParser()
                do {
                    for try await chunk in body {
                        signals.touched()
                        for event in parser.feed(chunk) {
                            if let announced = StreamCursor(event) { signals.announce(announced.cursor) }
                        }
                    }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    throw ServerFailure.unreachable(ServerAPI.describe(error))
                }
            }
            group.addTask { [stall = options.streamStallTimeout] in
                while true {
                    try await Task.sleep(for: stall / 3)
                    if signals.quietFor > stall { throw ServerFailure.unreachable("the event stream went quiet") }
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Long polls from the store's cursor; after announcing news it waits for the sync to move the cursor, so that
    /// the server's at-once answer to an old cursor does not turn into a busy loop.
    private func poll(_ api: ServerAPI, _ signals: WatchSignals) async throws {
        var announcedFor: String?? = nil
        while true {
            let own = try client.store.state().cursor
            if let asked = announcedFor, asked == own {
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            do {
                let started = ContinuousClock.now
                let page = try await api.pull(since: own, limit: 1, wait: options.longPollWait)
                signals.heard()
                if !page.changes.isEmpty || page.cursor != own {
                    announcedFor = own
                    signals.announce(page.cursor)
                } else if ContinuousClock.now - started < .seconds(options.longPollWait) / 2 {
                    // An empty answer long before the wait ran out: a server that ignores `wait` would otherwise
                    // be polled as fast as it answers.
                    try await Task.sleep(for: .seconds(5))
                }
            } catch ServerFailure.cursorExpired {
                // The sync knows how to start over.
                announcedFor = own
                signals.nudge()
            }
        }
    }

    /// The delay the server asked for and a reason to show, for a failure worth another try; rethrows the others
    /// (a refused token, no login, a damaged store), which no retry fixes.
    private static func retryable(
        _ error: any Error,
        server client: RevisitClient
    ) throws -> (retryAfter: Duration?, reason: String) {
        switch error {
        case let failure as ServerFailure:
            if case .refused = failure {
                throw failure.clientError(server: (try? client.store.state().serverURL?.absoluteString) ?? "")
            }
            return (failure.retryAfter, failure.reason)
        case let clientError as RevisitClientError:
            switch clientError.code {
            case .serverUnreachable, .serverRefused: return (nil, clientError.message)
            default: throw clientError
            }
        default:
            throw error
        }
    }
}
