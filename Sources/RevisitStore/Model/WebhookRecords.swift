import Foundation
import RevisitModel

/// A CRM's webhook endpoint. The secret is kept to sign with (Standard Webhooks needs the key itself).
public struct WebhookEndpointRecord: Sendable {
    public var id: String
    public var url: String
    public var events: [String]
    public var description: String?
    public var enabled: Bool
    public var disabledReason: String?
    public var secret: String
    public var previousSecret: String?
    public var previousSecretExpiresAt: Date?
    public var secretRotatedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    /// The secrets to sign with now: during a rotation both, for 24 hours.
    public func signingSecrets(at now: Date) -> [String] {
        guard let previousSecret, let expires = previousSecretExpiresAt, expires > now else { return [secret] }
        return [secret, previousSecret]
    }
}

public enum DeliveryState: String, Sendable, CaseIterable {
    case pending, succeeded, failed
}

public struct DeliveryRecord: Sendable {
    public var id: String
    public var eventId: String
    public var eventType: String
    public var endpointId: String
    public var state: DeliveryState
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastAttemptAt: Date?
    public var lastStatusCode: Int?
    public var lastDurationMs: Int?
    public var lastResponseBody: String?
    public var lastError: String?
}

/// A delivery the worker has claimed: everything one attempt needs.
public struct ClaimedDelivery: Sendable {
    public var deliveryId: String
    public var tenantId: Int64
    public var endpointId: String
    public var eventId: String
    public var url: String
    public var secrets: [String]
    public var body: [UInt8]
    public var attempts: Int
    public var failingSince: Date?

    public init(
        deliveryId: String,
        tenantId: Int64,
        endpointId: String,
        eventId: String,
        url: String,
        secrets: [String],
        body: [UInt8],
        attempts: Int,
        failingSince: Date?
    ) {
        self.deliveryId = deliveryId
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.eventId = eventId
        self.url = url
        self.secrets = secrets
        self.body = body
        self.attempts = attempts
        self.failingSince = failingSince
    }
}

/// What one attempt came to, as the worker reports it back.
public struct AttemptOutcome: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// 2xx: done.
        case succeeded
        /// Try again at this time.
        case retry(at: Date)
        /// Out of attempts: failed, replayable.
        case failed
        /// The endpoint is disabled (410 Gone, or failing for 5 days); the delivery fails with it.
        case disableEndpoint(reason: String)
    }

    public var deliveryId: String
    public var endpointId: String
    public var attemptedAt: Date
    public var statusCode: Int?
    public var durationMs: Int
    public var responseBody: String?
    public var error: String?
    public var verdict: Verdict

    public init(
        deliveryId: String,
        endpointId: String,
        attemptedAt: Date,
        statusCode: Int?,
        durationMs: Int,
        responseBody: String?,
        error: String?,
        verdict: Verdict
    ) {
        self.deliveryId = deliveryId
        self.endpointId = endpointId
        self.attemptedAt = attemptedAt
        self.statusCode = statusCode
        self.durationMs = durationMs
        self.responseBody = responseBody
        self.error = error
        self.verdict = verdict
    }
}

/// A month of the follow-up report (DESIGN section 6).
public struct ReportMonth: Sendable {
    public var month: String
    public var counts: [String: Int]
    public var released: Int
    public var converted: Int
    public var valueBooked: Int64
    public var valueDone: Int64
    public var valueLost: Int64
    public var lostValueByReason: [String: Int64]
    /// The part of value booked, done and lost that a plan pays for (the rest the customer pays).
    public var valueBookedCovered: Int64 = 0
    public var valueDoneCovered: Int64 = 0
    public var valueLostCovered: Int64 = 0

    public var conversion: Double { released == 0 ? 0 : Double(converted) / Double(released) }

    /// A month with nothing in it.
    public static func empty(_ month: String) -> ReportMonth {
        ReportMonth(
            month: month,
            counts: [:],
            released: 0,
            converted: 0,
            valueBooked: 0,
            valueDone: 0,
            valueLost: 0,
            lostValueByReason: [:]
        )
    }
}
