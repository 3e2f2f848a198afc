import Foundation
import RevisitModel
import RevisitStore
import Testing

/// The delivery rules of DESIGN section 7 as every backend persists them: the verdict and the five-days rule are
/// decided once (``DeliveryVerdict``, ``AttemptRecordPlan``), and each store only writes the plan.
@Suite("Delivery rules on every backend")
struct DeliveryRulesTests {
    /// An endpoint subscribed to releases, and `inspections` closed inspections of twenty due follow-ups, released.
    static func withReleased(
        _ backend: StoreBackend,
        inspections: Int = 1,
        _ body: (any SyncStore, Int64, String, Date) async throws -> Void
    ) async throws {
        try await StoreConcurrencyTests.withPair(backend) { stores, tenantId, clock in
            let store = stores[0]
            let endpoint = try await store.createEndpoint(
                tenantId: tenantId,
                url: "http://127.0.0.1:9/hook",
                events: ["followup.released"],
                description: nil,
                secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            )
            var next: Int64 = 1
            for _ in 0..<inspections {
                let mutations = StoreConcurrencyTests.closedInspection(firstId: next, now: clock.now())
                next += Int64(mutations.count)
                _ = try await store.push(tenantId: tenantId, clientId: "tablet", mutations: mutations)
            }
            let later = clock.now().addingTimeInterval(2 * 86400)
            #expect(try await store.releaseDueFollowups(now: later, limit: 1000) == 20 * inspections)
            try await body(store, tenantId, endpoint.id, later)
        }
    }

    static func outcome(
        _ delivery: ClaimedDelivery,
        at: Date,
        status: Int?,
        verdict: AttemptOutcome.Verdict
    ) -> AttemptOutcome {
        AttemptOutcome(
            deliveryId: delivery.deliveryId,
            endpointId: delivery.endpointId,
            attemptedAt: at,
            statusCode: status,
            durationMs: 3,
            responseBody: nil,
            error: status == nil ? "connection refused" : nil,
            verdict: verdict
        )
    }

    @Test(
        "a run of failures starts once, survives further failures, and ends with a success",
        arguments: StoreBackend.all
    )
    func failingSince(_ backend: StoreBackend) async throws {
        try await Self.withReleased(backend) { store, _, _, now in
            let first = try await store.claimDeliveries(now: now, limit: 2, lease: 30)
            try #require(first.count == 2)
            #expect(first.allSatisfy { $0.failingSince == nil })
            let t1 = now.addingTimeInterval(1)
            try await store.recordAttempts([
                Self.outcome(first[0], at: t1, status: 500, verdict: .retry(at: t1.addingTimeInterval(5)))
            ])
            let t2 = now.addingTimeInterval(2)
            try await store.recordAttempts([
                Self.outcome(first[1], at: t2, status: nil, verdict: .retry(at: t2.addingTimeInterval(5)))
            ])
            let again = try await store.claimDeliveries(now: now.addingTimeInterval(10), limit: 20, lease: 30)
            #expect(again.count == 20, "both retries are due again with the 18 never tried")
            #expect(again.allSatisfy { $0.failingSince == t1 }, "the run began with the first failure")
            try await store.recordAttempts([
                Self.outcome(again[0], at: now.addingTimeInterval(11), status: 204, verdict: .succeeded)
            ])
            let after = try await store.claimDeliveries(now: now.addingTimeInterval(60), limit: 20, lease: 30)
            #expect(after.count == 19)
            #expect(after.allSatisfy { $0.failingSince == nil }, "a success ends the run")
        }
    }

    @Test(
        "five days of failure disable the endpoint and fail its pending deliveries; a late record does not revive one",
        arguments: StoreBackend.all
    )
    func fiveDays(_ backend: StoreBackend) async throws {
        try await Self.withReleased(backend) { store, tenantId, endpointId, now in
            let claimed = try await store.claimDeliveries(now: now, limit: 3, lease: 30)
            try #require(claimed.count == 3)
            try await store.recordAttempts([
                Self.outcome(claimed[0], at: now, status: 503, verdict: .retry(at: now.addingTimeInterval(5)))
            ])
            let fiveDaysOn = now.addingTimeInterval(DeliveryVerdict.failingLimit)
            let retried = try #require(
                try await store.claimDeliveries(now: fiveDaysOn, limit: 20, lease: 30).first {
                    $0.deliveryId == claimed[0].deliveryId
                }
            )
            let verdict = DeliveryVerdict.decide(
                attempts: retried.attempts,
                failingSince: retried.failingSince,
                status: 503,
                retryAfter: nil,
                at: fiveDaysOn,
                schedule: [5, 300, 1800],
                jitter: 1
            )
            #expect(verdict == .disableEndpoint(reason: "failing"))
            try await store.recordAttempts([Self.outcome(retried, at: fiveDaysOn, status: 503, verdict: verdict)])
            let endpoint = try #require(try await store.endpoint(tenantId: tenantId, id: endpointId))
            #expect(!endpoint.enabled && endpoint.disabledReason == "failing")
            let pending = try await store.deliveries(
                tenantId: tenantId,
                endpointId: endpointId,
                state: .pending,
                cursor: nil,
                limit: 100
            )
            #expect(pending.items.isEmpty, "every pending delivery failed with the endpoint")

            // claimed[1] was on the wire while the endpoint was disabled: its answer is logged, its state stays failed.
            try await store.recordAttempts([
                Self.outcome(
                    claimed[1],
                    at: fiveDaysOn,
                    status: 500,
                    verdict: .retry(at: fiveDaysOn.addingTimeInterval(5))
                )
            ])
            try await store.renewClaims(ids: [claimed[2].deliveryId], until: fiveDaysOn.addingTimeInterval(30))
            let failed = try await store.deliveries(
                tenantId: tenantId,
                endpointId: endpointId,
                state: .failed,
                cursor: nil,
                limit: 100
            )
            #expect(failed.items.count == 20)
            let late = try #require(failed.items.first { $0.id == claimed[1].deliveryId })
            #expect(late.attempts == 0, "the late record did not touch the failed delivery")
            #expect(
                try await store.claimDeliveries(now: fiveDaysOn.addingTimeInterval(3600), limit: 20, lease: 30).isEmpty
            )
        }
    }

    @Test("a plan folds each endpoint's outcomes as applying them one by one would")
    func planFold() {
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        func outcome(_ endpoint: String, _ offset: TimeInterval, _ verdict: AttemptOutcome.Verdict) -> AttemptOutcome {
            AttemptOutcome(
                deliveryId: "dlv_\(endpoint)\(offset)",
                endpointId: endpoint,
                attemptedAt: at.addingTimeInterval(offset),
                statusCode: nil,
                durationMs: 1,
                responseBody: nil,
                error: nil,
                verdict: verdict
            )
        }
        let plan = AttemptRecordPlan([
            outcome("b", 3, .succeeded), outcome("b", 1, .failed), outcome("a", 1, .retry(at: at)),
            outcome("a", 2, .retry(at: at)), outcome("c", 1, .retry(at: at)), outcome("c", 2, .succeeded),
            outcome("c", 3, .retry(at: at)), outcome("d", 1, .disableEndpoint(reason: "gone")),
        ])
        #expect(plan.endpoints.map(\.endpointId) == ["a", "b", "c", "d"], "in lock order")
        #expect(plan.endpoints[0].failing == .beginIfUnset(at.addingTimeInterval(1)))
        #expect(plan.endpoints[1].failing == .set(nil), "the success came after the failure")
        #expect(plan.endpoints[2].failing == .set(at.addingTimeInterval(3)), "a new run began after the success")
        #expect(plan.endpoints[3].disable?.reason == "gone")
        #expect(
            plan.deliveries.map(\.state) == [
                .succeeded, .failed, .pending, .pending, .pending, .succeeded, .pending, .failed,
            ]
        )
    }
}
