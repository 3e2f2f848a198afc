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

    /// Claims one batch and sends it; returns the batch size.
    func drain(_ client: HTTPClient) async -> Int {
        do {
            let claimed = try await store.claimDeliveries(
                now: clock.now(),
                limit: Self.batch,
                lease: lease.timeInterval
            )
            guard !claimed.isEmpty else { return 0 }
            await send(claimed, client: client)
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

    /// One step of a batch: an attempt came back, the writer finished, or a lease renewal falls due.
    private enum Step: Sendable {
        case attempted(AttemptOutcome)
        case recorded([AttemptOutcome], failure: String?)
        case renewed
        case renewalDue
    }

    /// Sends a claimed batch and records each outcome soon after it comes back (issue 17): a crash then forgets at
    /// most the attempts that were on the wire or waiting for their record, never the whole batch. Records are
    /// group commits: one transaction at a time takes every outcome that came back while the previous one ran, so
    /// under load a transaction carries many outcomes and when idle an outcome is written at once. An attempt holds
    /// its slot until its outcome is recorded, so at most ``parallel`` deliveries are ever sent and not yet recorded:
    /// that bounds the repeats a receiver sees after a crash. Lease renewals go through the same single writer, so a
    /// renewal never re-claims a delivery whose outcome was just recorded (that would hold back its retry).
    private func send(_ claimed: [ClaimedDelivery], client: HTTPClient) async {
        await withTaskGroup(of: Step.self) { group in
            var queue = claimed[...]
            var held = Set(claimed.map(\.deliveryId))
            var done: [AttemptOutcome] = []
            var unrecorded = 0
            var writing = false
            var renewalDue = false
            group.addTask { await Self.wait(lease / 3) }
            while !held.isEmpty {
                while !Task.isCancelled, unrecorded < Self.parallel, let next = queue.popFirst() {
                    unrecorded += 1
                    group.addTask { .attempted(await attempt(next, client: client)) }
                }
                if !writing, renewalDue {
                    writing = true
                    renewalDue = false
                    let ids = Array(held)
                    group.addTask { await renew(ids) }
                } else if !writing, !done.isEmpty {
                    writing = true
                    let batch = done
                    done = []
                    group.addTask { await record(batch) }
                }
                guard let step = await group.next() else { break }
                switch step {
                case .attempted(let outcome):
                    done.append(outcome)
                case .recorded(let batch, let failure):
                    writing = false
                    unrecorded -= batch.count
                    held.subtract(batch.map(\.deliveryId))
                    if let failure {
                        // Taken again after the lease, and sent again: the receiver deduplicates by webhook-id.
                        if !Task.isCancelled {
                            logger.warning(
                                "could not record delivery attempts",
                                metadata: ["attempts": "\(batch.count)", "error": "\(failure)"]
                            )
                        }
                    } else {
                        for outcome in batch { WebhookMetrics.attempts(outcome.verdict).increment() }
                    }
                case .renewed:
                    writing = false
                case .renewalDue:
                    // Once shut down, the sleep returns at once: no more renewals, the batch ends as its attempts do.
                    guard !Task.isCancelled else { break }
                    renewalDue = true
                    group.addTask { await Self.wait(lease / 3) }
                }
            }
            group.cancelAll()
        }
    }

    private func record(_ outcomes: [AttemptOutcome]) async -> Step {
        do {
            try await store.recordAttempts(outcomes)
            return .recorded(outcomes, failure: nil)
        } catch {
            return .recorded(outcomes, failure: "\(error)")
        }
    }

    /// A batch of slow receivers can outlast one lease (64 at a time, each up to the timeout): the claims not yet
    /// recorded are renewed every third of a lease, so another instance never sends them at the same time.
    private func renew(_ ids: [String]) async -> Step {
        do {
            try await store.renewClaims(ids: ids, until: clock.now().addingTimeInterval(lease.timeInterval))
        } catch {
            if !Task.isCancelled { logger.warning("could not renew delivery claims", metadata: ["error": "\(error)"]) }
        }
        return .renewed
    }

    private static func wait(_ interval: Duration) async -> Step {
        try? await Task.sleep(for: interval)
        return .renewalDue
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

    /// The rule of ``DeliveryVerdict``, with this worker's schedule and a fresh jitter.
    func verdict(
        for delivery: ClaimedDelivery,
        status: Int?,
        retryAfter: TimeInterval?,
        at now: Date
    )
        -> AttemptOutcome.Verdict
    {
        DeliveryVerdict.decide(
            attempts: delivery.attempts,
            failingSince: delivery.failingSince,
            status: status,
            retryAfter: retryAfter,
            at: now,
            schedule: schedule.map(\.timeInterval),
            jitter: Double.random(in: 0.8...1.2)
        )
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
