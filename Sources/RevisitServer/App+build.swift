import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import RevisitModel
import RevisitStore
import ServiceLifecycle

/// The one composition root, shared by `revisit-server` and the tests: opens the store, wires the middleware, the
/// generated handlers and the background services, and returns an application ready to run.
/// - Parameters:
///   - configuration: flags and defaults.
///   - logger: the server's logger; every request line carries the request id.
///   - onServerRunning: called with the bound port once the server listens (tests bind port 0).
public func buildApplication(
    configuration: ServerConfiguration,
    logger: Logger = Logger(label: "revisit"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    ServerMetrics.bootstrap()
    let hlc = ServerHLC(clock: configuration.clock)
    let backend = try await Backend.open(configuration, hlc: hlc, logger: logger)
    let store = backend.store
    let attachments = backend.attachments

    let edge = try await EdgeServer.make(configuration.edge, logger: logger)
    let proxies: TrustedProxies
    switch TrustedProxies.parse(configuration.edge.trustedProxies) {
    case .success(let parsed): proxies = parsed
    case .failure(let invalid):
        throw ConfigurationError("--trusted-proxy \(invalid.text) is not an address or a CIDR such as 10.0.0.0/8")
    }
    var tokenLimits = TokenGuard.Limits()
    tokenLimits.wrongTokensPerMinute = configuration.edge.wrongTokensPerMinute
    let tokenGuard = TokenGuard(limits: tokenLimits, clock: configuration.clock)

    let publicURL = try configuration.edge.publicURL.map(PublicURL.validate)
    let scheme = configuration.edge.tlsCertificate == nil ? "http" : "https"
    let router = Router(context: RevisitRequestContext.self)
    if publicURL?.scheme?.lowercased() == "https" { router.add(middleware: StrictTransportMiddleware()) }
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RequestLogMiddleware(.info))
    router.add(middleware: ProblemMiddleware())
    var guessLimits = TokenGuard.Limits()
    guessLimits.wrongTokensPerMinute = configuration.edge.unknownReviewTokensPerMinute
    let resources = try await WebResources.load()
    let linkBase =
        publicURL.map { LinkBase($0.absoluteString, fixed: true) }
        ?? LinkBase("\(scheme)://\(configuration.host):\(configuration.port)")
    let secureCookies = publicURL?.scheme?.lowercased() == "https"
    router.add(
        middleware: ReviewPages(
            store: store,
            attachments: attachments,
            resources: resources,
            proxies: proxies,
            guesses: TokenGuard(limits: guessLimits, clock: configuration.clock),
            clock: configuration.clock,
            secureCookies: secureCookies
        )
    )
    let changes = ChangeBroadcaster(
        limits: .init(perTenant: configuration.limits.maxWaitingPerTenant, total: configuration.limits.maxWaiting)
    )
    var signInLimits = TokenGuard.Limits()
    signInLimits.wrongTokensPerMinute = configuration.edge.failedConsoleSignInsPerMinute
    router.add(
        middleware: ConsolePages(
            store: store,
            resources: resources,
            proxies: proxies,
            failures: TokenGuard(limits: signInLimits, clock: configuration.clock),
            linkBase: linkBase,
            changes: changes,
            heartbeat: configuration.limits.streamHeartbeat,
            clock: configuration.clock,
            secureCookies: secureCookies
        )
    )
    router.add(middleware: RequestBodyMiddleware(limits: configuration.limits))
    router.add(middleware: AuthMiddleware(store: store, guardian: tokenGuard, proxies: proxies))
    let api = APIImplementation(
        store: store,
        hlc: hlc,
        attachments: attachments,
        configuration: configuration,
        tokenGuard: tokenGuard,
        linkBase: linkBase,
        changes: changes
    )
    router.add(middleware: PullResponder(api: api))
    router.add(middleware: PushResponder(api: api))
    router.add(middleware: SyncStreamResponder(api: api, heartbeat: configuration.limits.streamHeartbeat))
    // Compact JSON: a 500-row pull is mostly payload, and indentation would add a third to it.
    try api.registerHandlers(
        on: router,
        configuration: .init(dateTranscoder: FlexibleDateTranscoder(), jsonEncodingOptions: [.withoutEscapingSlashes])
    )

    let purge = TombstonePurgeService(
        store: store,
        horizon: configuration.tombstoneHorizon,
        interval: configuration.purgeInterval,
        clock: configuration.clock,
        logger: logger
    )
    var services: [any Service] = [
        backend, purge, LiveChangesService(store: store, broadcaster: api.changes, logger: logger),
    ]
    if let reload = edge.reload { services.append(reload) }
    return Application(
        router: router,
        server: edge.server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "revisit"),
        services: services + [
            FollowUpScheduler(
                store: store,
                clock: configuration.clock,
                interval: configuration.schedulerInterval,
                logger: logger
            ),
            WebhookDeliveryWorker(
                store: store,
                clock: configuration.clock,
                schedule: configuration.webhookRetrySchedule,
                timeout: configuration.webhookTimeout,
                lease: configuration.claimLease,
                allowPrivate: configuration.allowPrivateWebhooks,
                logger: logger
            ),
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            linkBase.listening(scheme: scheme, host: configuration.host, port: port)
            await onServerRunning(port)
        },
        logger: logger
    )
}

/// A configuration the server cannot start with; its message is printed as is.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
