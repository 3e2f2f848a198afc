import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import RevisitModel
import RevisitStore
import ServiceLifecycle

/// Delivers the outbox to CRM endpoints: at least once, signed per Standard Webhooks, with retries on the
/// configured schedule (with jitter, and no sooner than a `Retry-After` asks), no redirects, the address checked
/// after name resolution and connected to as checked. Claims are leased in the database, so a crashed worker's
/// deliveries are taken again once the lease runs out.
struct WebhookDeliveryWorker: Service {
    let store: any SyncStore
    let clock: any WallClock
    let schedule: [Duration]
    let timeout: Duration
    let lease: Duration
    let allowPrivate: Bool
    let logger: Logger
    static let batch = 256
    static let parallel = 64

    func run() async throws {
        try await store.recoverClaims()
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(5), read: .seconds(Int64(timeout.timeInterval.rounded(.up)))),
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
            )
        )
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let delivered = await drain(client)
                if delivered < Self.batch { try await Task.sleep(for: .milliseconds(50)) }
            }
        }
        try? await client.shutdown()
    }

    /// Claims one batch, sends it, records every outcome in one transaction; returns the batch size.
    func drain(_ client: HTTPClient) async -> Int {
        do {
            let claimed = try await store.claimDeliveries(
                now: clock.now(),
                limit: Self.batch,
                lease: lease.timeInterval
            )
            guard !claimed.isEmpty else { return 0 }
            let renewal = Task { await renewWhileRunning(claimed.map(\.deliveryId)) }
            let outcomes = await withTaskGroup(of: AttemptOutcome.self) { group in
                var outcomes: [AttemptOutcome] = []
                var iterator = claimed.makeIterator()
                for _ in 0..<Self.parallel {
                    guard let next = iterator.next() else { break }
                    group.addTask { await attempt(next, client: client) }
                }
                while let outcome = await group.next() {
                    outcomes.append(outcome)
                    if let next = iterator.next() { group.addTask { await attempt(next, client: client) } }
                }
                return outcomes
            }
            renewal.cancel()
            try await store.recordAttempts(outcomes)
            for outcome in outcomes { WebhookMetrics.attempts(outcome.verdict).increment() }
            return claimed.count
        } catch let error as StoreError where error == .unavailable("") {
            logger.warning("webhook delivery waits for the database", metadata: ["error": "\(error)"])
            return 0
        } catch {
            // A round cut short by shutdown is taken again after the lease; nothing to report.
            if !Task.isCancelled { logger.error("webhook delivery round failed", metadata: ["error": "\(error)"]) }
            return 0
        }
    }

    /// A batch of slow receivers can outlast one lease (64 at a time, each up to the timeout): its claims are renewed
    /// every third of a lease until the batch is recorded, so another instance never sends them at the same time.
    func renewWhileRunning(_ ids: [String]) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: lease / 3)
                try await store.renewClaims(ids: ids, until: clock.now().addingTimeInterval(lease.timeInterval))
            } catch {
                if !Task.isCancelled {
                    logger.warning("could not renew delivery claims", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func attempt(_ delivery: ClaimedDelivery, client: HTTPClient) async -> AttemptOutcome {
        let started = ContinuousClock.now
        let attemptedAt = clock.now()
        var statusCode: Int?
        var body: String?
        var retryAfter: TimeInterval?
        var failure: String?
        do {
            let target = try await WebhookTarget.resolve(delivery.url, allowPrivate: allowPrivate)
            var request = HTTPClientRequest(url: target.connectURL)
            request.method = .POST
            let timestamp = Int64(attemptedAt.timeIntervalSince1970)
            let signatures = try delivery.secrets.map {
                try StandardWebhooks.signature(
                    secret: $0,
                    id: delivery.eventId,
                    timestamp: timestamp,
                    body: delivery.body
                )
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "Revisit-Webhooks/1")
            request.headers.add(name: "webhook-id", value: delivery.eventId)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            request.headers.add(name: "webhook-signature", value: signatures.joined(separator: " "))
            if let host = target.hostHeader { request.headers.replaceOrAdd(name: "Host", value: host) }
            request.body = .bytes(ByteBuffer(bytes: delivery.body))
            let response = try await client.execute(
                request,
                timeout: .seconds(Int64(timeout.timeInterval.rounded(.up)))
            )
            statusCode = Int(response.status.code)
            retryAfter = response.headers.first(name: "Retry-After").flatMap(TimeInterval.init)
            body = try await Self.truncatedBody(response.body)
        } catch let problem as MutationProblem {
            failure = problem.detail
        } catch {
            failure = "\(error)"
        }
        let duration = ContinuousClock.now - started
        let verdict = verdict(for: delivery, status: statusCode, retryAfter: retryAfter, at: attemptedAt)
        if case .disableEndpoint(let reason) = verdict {
            logger.warning(
                "webhook endpoint disabled",
                metadata: ["endpoint": "\(delivery.endpointId)", "reason": "\(reason)"]
            )
        }
        return AttemptOutcome(
            deliveryId: delivery.deliveryId,
            endpointId: delivery.endpointId,
            attemptedAt: attemptedAt,
            statusCode: statusCode,
            durationMs: Int(duration.timeInterval * 1000),
            responseBody: body,
            error: failure,
            verdict: verdict
        )
    }

    /// DESIGN section 7: 2xx succeeds; 410 disables the endpoint, and so do 5 days of failure; otherwise retry on
    /// the schedule until it runs out.
    func verdict(
        for delivery: ClaimedDelivery,
        status: Int?,
        retryAfter: TimeInterval?,
        at now: Date
    )
        -> AttemptOutcome.Verdict
    {
        if let status, (200..<300).contains(status) { return .succeeded }
        if status == 410 { return .disableEndpoint(reason: "gone") }
        if let since = delivery.failingSince, now.timeIntervalSince(since) >= 5 * 86400 {
            return .disableEndpoint(reason: "failing")
        }
        let attempt = delivery.attempts + 1
        guard attempt <= schedule.count else { return .failed }
        var delay = schedule[attempt - 1].timeInterval * Double.random(in: 0.8...1.2)
        if let retryAfter, status == 429 || status == 503 { delay = max(delay, retryAfter) }
        return .retry(at: now.addingTimeInterval(delay))
    }

    /// The first kilobyte of a response, for the deliveries log; the rest is read and dropped.
    static func truncatedBody(_ body: HTTPClientResponse.Body) async throws -> String {
        var kept: [UInt8] = []
        for try await chunk in body where kept.count < 1024 {
            kept += chunk.readableBytesView.prefix(1024 - kept.count)
        }
        return String(decoding: kept, as: UTF8.self)
    }
}

enum WebhookMetrics {
    static func attempts(_ verdict: AttemptOutcome.Verdict) -> Metrics.Counter {
        let result =
            switch verdict {
            case .succeeded: "succeeded"
            case .retry: "retry"
            case .failed: "failed"
            case .disableEndpoint: "disabled"
            }
        return Metrics.Counter(label: "revisit_webhook_attempts_total", dimensions: [("result", result)])
    }
}
