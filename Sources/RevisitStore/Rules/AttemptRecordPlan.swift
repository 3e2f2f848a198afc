import Foundation

/// What recording a group of delivery attempts writes, decided from the outcomes alone: the attempt log, each
/// delivery's new state, and what the group means for each endpoint's run of failures (the five-days rule) and
/// whether it is disabled. Both backends persist this plan and decide nothing themselves.
public struct AttemptRecordPlan: Sendable {
    /// A delivery's state after its attempt. It is written only while the delivery is still `pending`: disabling or
    /// deleting its endpoint may have failed it while the attempt was on the wire, and that decision stands.
    public struct DeliveryUpdate: Sendable, Equatable {
        public var deliveryId: String
        public var state: DeliveryState
        public var nextAttemptAt: Date?
        public var attemptedAt: Date
        public var statusCode: Int?
        public var durationMs: Int
        public var responseBody: String?
        public var error: String?
    }

    /// The endpoint's `failing_since` after the group, as applying its outcomes one by one would leave it.
    public enum FailingChange: Sendable, Equatable {
        /// A success came last or before the failures that follow it: the column becomes this value (nil when no
        /// failure followed the last success).
        case set(Date?)
        /// Only failures: the run of failures began at this time unless it had already begun.
        case beginIfUnset(Date)
    }

    /// One endpoint's change; endpoints come in id order, the order backends lock them in.
    public struct EndpointChange: Sendable, Equatable {
        public var endpointId: String
        public var failing: FailingChange?
        /// Disable the endpoint (and fail its pending deliveries) for this reason, at this time.
        public var disable: (reason: String, at: Date)?

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.endpointId == rhs.endpointId && lhs.failing == rhs.failing && lhs.disable?.reason == rhs.disable?.reason
                && lhs.disable?.at == rhs.disable?.at
        }
    }

    /// Every attempt goes to the log, whatever the delivery's state now is: the request was sent.
    public var attempts: [AttemptOutcome]
    public var deliveries: [DeliveryUpdate]
    public var endpoints: [EndpointChange]

    public init(_ outcomes: [AttemptOutcome]) {
        attempts = outcomes
        deliveries = outcomes.map { outcome in
            let (state, next) = outcome.verdict.deliveryState
            return DeliveryUpdate(
                deliveryId: outcome.deliveryId,
                state: state,
                nextAttemptAt: next,
                attemptedAt: outcome.attemptedAt,
                statusCode: outcome.statusCode,
                durationMs: outcome.durationMs,
                responseBody: outcome.responseBody,
                error: outcome.error
            )
        }
        var changes: [String: EndpointChange] = [:]
        for outcome in outcomes.sorted(by: { $0.attemptedAt < $1.attemptedAt }) {
            var change = changes[outcome.endpointId] ?? EndpointChange(endpointId: outcome.endpointId)
            switch (outcome.verdict, change.failing) {
            case (.succeeded, _): change.failing = .set(nil)
            case (.retry, nil), (.failed, nil): change.failing = .beginIfUnset(outcome.attemptedAt)
            case (.retry, .set(nil)), (.failed, .set(nil)): change.failing = .set(outcome.attemptedAt)
            case (.retry, _), (.failed, _): break
            case (.disableEndpoint(let reason), _):
                if change.disable == nil { change.disable = (reason, outcome.attemptedAt) }
            }
            changes[outcome.endpointId] = change
        }
        endpoints = changes.values.sorted { $0.endpointId < $1.endpointId }
    }
}

extension AttemptRecordPlan.EndpointChange {
    init(endpointId: String) {
        self.endpointId = endpointId
        self.failing = nil
        self.disable = nil
    }
}
