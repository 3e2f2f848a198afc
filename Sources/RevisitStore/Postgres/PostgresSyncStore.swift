import Foundation
import Logging
import PostgresNIO
import RevisitModel
import Synchronization

/// The shared store: any number of server instances on one PostgreSQL database (DESIGN section 8). A push locks its
/// tenant's row and takes the next versions from it, so versions and event positions follow commit order across
/// instances; due follow-ups and deliveries are claimed with `FOR UPDATE SKIP LOCKED`.
public struct PostgresSyncStore: SyncStore {
    let client: PostgresClient
    let clock: any WallClock
    let hlc: ServerHLC
    let options: PostgresOptions
    let logger: Logger
    /// This instance's commits, told to its own waiters at once (the other instances hear them by `LISTEN`).
    let commits = CommitFeed()
    private let runner: Task<Void, Never>

    /// Connects, waits until the database answers (at most `options.connectTimeout`), and migrates it.
    public static func connect(
        options: PostgresOptions,
        clock: any WallClock,
        hlc: ServerHLC,
        logger: Logger = Logger(label: "revisit.postgres")
    ) async throws -> PostgresSyncStore {
        var quiet = logger
        // postgres-nio logs every failed connection attempt at error level while it retries; the store reports the
        // outage itself (503s, /ready), so its own chatter is kept to warnings and above.
        quiet.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: options.clientConfiguration(), backgroundLogger: quiet)
        let runner = Task { await client.run() }
        let store = PostgresSyncStore(
            client: client,
            clock: clock,
            hlc: hlc,
            options: options,
            logger: logger,
            runner: runner
        )
        do {
            try await store.waitUntilReachable()
            try await PostgresSchema.migrate(store)
            try await store.restoreHLC()
        } catch {
            runner.cancel()
            throw error
        }
        return store
    }

    private init(
        client: PostgresClient,
        clock: any WallClock,
        hlc: ServerHLC,
        options: PostgresOptions,
        logger: Logger,
        runner: Task<Void, Never>
    ) {
        self.client = client
        self.clock = clock
        self.hlc = hlc
        self.options = options
        self.logger = logger
        self.runner = runner
    }

    /// Moves the server's HLC up to the highest one any push stored, whichever instance made it.
    private func restoreHLC() async throws {
        let logger = self.logger
        let stored = try await withConnection { connection in
            try await connection.rows(
                "SELECT hlc_wall, hlc_counter FROM tenants ORDER BY hlc_wall DESC, hlc_counter DESC LIMIT 1",
                logger: logger
            ).first.map { try $0.decode((Int64, Int64).self) }
        }
        if let (wall, counter) = stored { hlc.restore(HLC(wall: wall, counter: Int(counter))) }
    }

    /// Closes the pool; the store is unusable afterwards.
    public func close() {
        runner.cancel()
    }

    private func waitUntilReachable() async throws {
        let deadline = ContinuousClock.now + options.connectTimeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            do {
                try await withConnection(timeout: options.connectTimeout) { connection in
                    try await connection.query("SELECT 1", logger: logger)
                }
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        let seconds = options.connectTimeout.components.seconds
        throw StoreError.unavailable(
            "could not reach PostgreSQL at \(options.description) within \(seconds) s"
                + (lastError.map { ": \(Self.describe($0))" } ?? "")
        )
    }

    public func checkReady() async throws {
        try await withConnection { connection in
            try await connection.query("SELECT 1", logger: logger)
        }
    }

    // MARK: Running statements

    /// Leases a connection for `body`. Waiting for a connection is limited to the request timeout, so that during an
    /// outage a request answers 503 instead of waiting for the pool's endless reconnects; the work itself is limited
    /// by the statement timeout.
    func withConnection<T: Sendable>(
        timeout: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let wait = timeout ?? options.requestTimeout
        let statementLimit = options.statementTimeout + .seconds(5)
        let race = DeadlineRace<T>()
        let client = self.client
        do {
            // Not a task group: a group waits for all its children, and a lease does not end when cancelled while
            // the pool is reconnecting. The request answers at the deadline; the abandoned lease ends on its own.
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    race.start(continuation)
                    let work = Task {
                        do {
                            let value = try await client.withConnection { connection in
                                // A request already answered 503 must not run late: its client retries it.
                                guard race.leased() else { throw CancellationError() }
                                return try await body(connection)
                            }
                            race.finish(.success(value))
                        } catch {
                            race.finish(.failure(error))
                        }
                    }
                    let timer = Task {
                        try? await Task.sleep(for: wait)
                        if race.expire(StoreError.unavailable("the database did not answer within \(wait)")) {
                            work.cancel()
                            return
                        }
                        // A connection the server dropped mid-statement can leave the statement waiting for good:
                        // past the statement timeout the request answers 503 anyway, and the work is cancelled.
                        try? await Task.sleep(for: statementLimit)
                        if race.expire(StoreError.unavailable("the database stopped answering"), force: true) {
                            work.cancel()
                        }
                    }
                    race.onFinish { timer.cancel() }
                    race.onCancel { work.cancel() }
                }
            } onCancel: {
                race.cancel()
            }
        } catch {
            throw Self.translate(error)
        }
    }

    /// Runs `body` in one transaction; a deadlock or serialization failure (which PostgreSQL resolves by aborting one
    /// side) is retried from the start, so callers never see one.
    func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    let value: T
                    do {
                        value = try await body(connection)
                    } catch {
                        // Even when the request was cancelled (a client hanging up, the deadline): a connection
                        // handed back still in the transaction would keep the tenant's row lock.
                        // A lost connection rolls back by itself, and a statement on it may never answer.
                        if let error = error as? PSQLError, Self.connectionIsGone(error) { throw error }
                        await Self.shielded { _ = try? await connection.query("ROLLBACK", logger: logger) }
                        throw error
                    }
                    try await Self.shielded { try await connection.query("COMMIT", logger: logger) }
                    return value
                }
            } catch let error as PSQLError where attempt < 5 && Self.isRetryable(error) {
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...50)))
            }
        }
    }

    /// Runs `work` to its end even if the calling task is cancelled.
    static func shielded(_ work: @escaping @Sendable () async throws -> Void) async throws {
        try await Task { try await work() }.value
    }

    static func shielded(_ work: @escaping @Sendable () async -> Void) async {
        await Task { await work() }.value
    }

    /// Whether the connection itself ended (a server shutdown, a lost socket), as opposed to a failed statement on
    /// a live connection, which must still be rolled back before the connection goes back to the pool.
    static func connectionIsGone(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
        default:
            return false
        }
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        let state = error.serverInfo?[.sqlState] ?? ""
        return state == "40001" || state == "40P01"
    }

    /// Connection failures, server shutdowns and cancelled statements become `unavailable` (503 with Retry-After);
    /// anything else is a bug and passes through.
    static func translate(_ error: any Error) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler, .queryCancelled:
            return StoreError.unavailable("the database is unavailable: \(describe(error))")
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            if state.hasPrefix("08") || state.hasPrefix("57") || state == "53300" || state.hasPrefix("25P03") {
                return StoreError.unavailable("the database is unavailable: \(describe(error))")
            }
            // Text PostgreSQL cannot store (a NUL character) is the caller's input, not a failure of the server.
            if state == "22021" || state == "22P05" || state == "54000" {
                return StoreError.malformed("text with NUL or invalid characters cannot be stored")
            }
            return error
        default:
            return error
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        if let error = error as? StoreError { return error.logDetail ?? error.detail }
        return String(describing: error)
    }
}

/// A statement's work against the wait for a connection: whichever ends first answers the caller, once. Once a
/// connection is leased the deadline no longer applies (the statement timeout limits the work from then on).
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var leased = false
        var cancelled = false
        var onFinish: (@Sendable () -> Void)?
        var onCancel: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Marks the connection leased; false when the caller was already answered.
    func leased() -> Bool {
        state.withLock { state in
            state.leased = true
            return state.continuation != nil
        }
    }

    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let finished = state.withLock { state -> Bool in
            guard state.continuation != nil else { return true }
            state.onFinish = action
            return false
        }
        if finished { action() }
    }

    func onCancel(_ action: @escaping @Sendable () -> Void) {
        let cancelled = state.withLock { state -> Bool in
            state.onCancel = action
            return state.cancelled
        }
        if cancelled { action() }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, action) = state.withLock { state in
            defer {
                state.continuation = nil
                state.onFinish = nil
            }
            return (state.continuation, state.onFinish)
        }
        continuation?.resume(with: result)
        action?()
    }

    /// Answers with `error` unless the work already answered or (unless `force`) a connection was leased; true if
    /// it did.
    func expire(_ error: any Error, force: Bool = false) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard force || !state.leased, let continuation = state.continuation else { return nil }
            state.continuation = nil
            state.onFinish = nil
            return continuation
        }
        continuation?.resume(throwing: error)
        return continuation != nil
    }

    func cancel() {
        let action = state.withLock { state in
            state.cancelled = true
            return state.onCancel
        }
        action?()
    }
}

extension PostgresConnection {
    /// Runs a statement and collects its rows.
    @discardableResult
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
