import AsyncHTTPClient
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import RevisitModel

/// The reference client of the Revisit sync server: an offline-first local store of inspections that syncs with
/// the server when it can.
///
/// Every edit is written to the local SQLite store first, as a queued mutation with the next mutation id and a tick
/// of the store's hybrid logical clock, so it survives failed syncs and restarts and goes up exactly once (the
/// server answers `duplicate` to an id it has processed). Reads show the server's rows with the pending edits
/// merged in by ``RevisitModel/Merge``, the code the server runs. ``sync()`` uploads photos, pushes the queue,
/// pulls what changed and reports progress as an `AsyncSequence`.
///
/// ```swift
/// let client = try RevisitClient(storePath: "tablet.sqlite")
/// try await client.login(serverURL: URL(string: "http://127.0.0.1:8080")!, token: token)
/// let started = try await client.startInspection(NewInspection(plate: "AB-123-C", odometer: 84_210))
/// try await client.setItem(started.id.uuidString, code: "brake_pads_front", ItemChange(status: .later))
/// for try await event in client.sync() { print(event) }
/// ```
public final class RevisitClient: Sendable {
    let store: ClientStore
    let transport: any ClientTransport
    /// The transport of ``watch(_:)``'s event stream: the given one, or the default without its request deadline.
    let streamTransport: any ClientTransport
    /// The running watchers, woken by edits through this client.
    let watchers = WatchRegistry()
    let clock: any WallClock
    /// How a sync retries network errors, 5xx and 429.
    public let retryPolicy: RetryPolicy
    private let gate = SyncGate()

    /// Opens (or creates) the local store at `storePath`.
    ///
    /// - Parameters:
    ///   - storePath: the SQLite file; created with mode 0600, because it keeps the token.
    ///   - transport: how HTTP requests are sent; ``defaultTransport()`` (AsyncHTTPClient) when nil. Apps on Apple
    ///     platforms can pass `URLSessionTransport()` from swift-openapi-urlsession.
    ///   - clock: the wall clock for HLC ticks and timestamps (tests pass a `TestWallClock`).
    ///   - retryPolicy: backoff for failed requests during a sync.
    public init(
        storePath: String,
        transport: (any ClientTransport)? = nil,
        clock: any WallClock = SystemWallClock(),
        retryPolicy: RetryPolicy = .default
    ) throws {
        store = try ClientStore(path: storePath)
        self.transport = transport ?? Self.defaultTransport()
        streamTransport = transport ?? Self.defaultTransport(timeout: .seconds(86_400 * 365))
        self.clock = clock
        self.retryPolicy = retryPolicy
    }

    /// The default transport: AsyncHTTPClient, over one process-wide client.
    ///
    /// AsyncHTTPClient rather than URLSession on Linux: it is built on SwiftNIO (already in the build for the
    /// server), pools connections, streams bodies, and does not depend on the system's libcurl through
    /// FoundationNetworking. Its client is set to fail a refused or timed-out connection at once (5 s to connect)
    /// instead of retrying it until the request's deadline: the sync's own backoff decides when to try again, so
    /// `revisit sync` with the server down fails in seconds, not minutes.
    public static func defaultTransport(timeout: Duration = .seconds(60)) -> any ClientTransport {
        let (seconds, attoseconds) = timeout.components
        return AsyncHTTPClientTransport(
            configuration: .init(
                client: sharedHTTPClient,
                timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            )
        )
    }

    /// Never shut down: like `HTTPClient.shared`, it lives as long as the process.
    private static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The store's file path.
    public var storePath: String { store.pool.path }

    // MARK: Login

    /// Checks the server and token (by fetching the templates, which are cached for offline item checks) and keeps
    /// them in the store.
    ///
    /// - Parameters:
    ///   - currency: the tenant's currency for typed costs (kept; `EUR` until set).
    ///   - mechanic: the default `mechanic` of new inspections.
    /// - Throws: ``RevisitClientError/Code/tokenRefused`` or ``RevisitClientError/Code/serverUnreachable``.
    public func login(serverURL: URL, token: String, currency: String? = nil, mechanic: String? = nil) async throws {
        if let currency, currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            throw RevisitClientError(.invalidValue, "the currency must be a 3-letter code like EUR, not \(currency)")
        }
        let api = ServerAPI(serverURL: serverURL, token: token, transport: transport)
        let templates: [Template]
        do {
            templates = try await api.templates()
        } catch let failure as ServerFailure {
            throw failure.clientError(server: serverURL.absoluteString)
        }
        try store.saveLogin(serverURL: serverURL, token: token, currency: currency, mechanic: mechanic)
        try await store.saveTemplates(templates)
    }

    /// Keeps a server and token without checking them, for a store provisioned offline (an app's first start in
    /// the workshop's pit); ``login(serverURL:token:currency:mechanic:)`` checks them and caches the templates.
    public func setServer(_ serverURL: URL, token: String) async throws {
        try store.saveLogin(serverURL: serverURL, token: token, currency: nil, mechanic: nil)
    }

    // MARK: Sync

    /// Syncs with the server, reporting progress; the sequence ends with ``SyncEvent/finished(_:)`` or throws a
    /// ``RevisitClientError``. Stopping the iteration cancels the sync (what was done so far is kept).
    ///
    /// Syncs of one client run one at a time; a second waits for the first.
    public func sync() -> AsyncThrowingStream<SyncEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: SyncEvent.self)
        let task = Task {
            do {
                let summary = try await syncNow { continuation.yield($0) }
                continuation.yield(.finished(summary))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Syncs with the server and returns what was done; `progress` sees the events of ``sync()`` but the last.
    @discardableResult
    public func syncNow(progress: @escaping @Sendable (SyncEvent) -> Void = { _ in }) async throws -> SyncSummary {
        await gate.acquire()
        defer { Task { await gate.release() } }
        let state = try store.state()
        guard let serverURL = state.serverURL, let token = state.token else {
            throw RevisitClientError(.notLoggedIn, "not logged in: run revisit login --server URL --token TOKEN")
        }
        let engine = SyncEngine(
            store: store,
            api: ServerAPI(serverURL: serverURL, token: token, transport: transport),
            clientId: state.clientId,
            clock: clock,
            retry: retryPolicy,
            emit: progress
        )
        do {
            return try await engine.run()
        } catch let failure as ServerFailure {
            throw failure.clientError(server: serverURL.absoluteString)
        }
    }
}

/// Lets one sync of a client run at a time, in arrival order (an actor alone would interleave at every await).
actor SyncGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
