import Foundation
import RevisitModel

/// Follow-ups, tenant settings and the event feed: the part of the store the CRM side uses (issue 3).
public protocol FollowUpStore: Sendable {
    func settings(tenantId: Int64) async throws -> TenantSettings
    /// Applies a PATCH of the settings; unknown keys or bad values throw a validation error.
    func updateSettings(tenantId: Int64, patch: [String: JSONValue]) async throws -> TenantSettings

    func followups(
        tenantId: Int64,
        state: FollowUpState?,
        vehicleId: String?,
        dueBefore: CalendarDate?,
        covered: Bool?,
        cursor: String?,
        limit: Int
    ) async throws -> Page<FollowUpRecord>
    func followup(tenantId: Int64, id: String) async throws -> FollowUpRecord?
    /// The call list: follow-ups due from `from` to `to` (both included), in any or one state, safety-critical first,
    /// then by due date; at most `limit`.
    func callList(
        tenantId: Int64,
        from: CalendarDate,
        to: CalendarDate,
        state: FollowUpState?,
        limit: Int
    ) async throws -> [FollowUpRecord]
    /// Records a CRM outcome by the follow-up state machine, emitting `followup.updated` (or `.cancelled`), with what
    /// the call learnt (a reading, contact corrections) in the same transaction.
    func recordOutcome(tenantId: Int64, id: String, _ request: OutcomeRequest) async throws -> FollowUpRecord
    /// A reading of the vehicle's odometer reported by the CRM (DESIGN section 6, the call round): checked, stored,
    /// and every open kilometre-based follow-up of the vehicle re-planned; returns those that changed.
    func addOdometerReading(
        tenantId: Int64,
        vehicleId: String,
        reading: OdometerSample
    ) async throws -> [FollowUpRecord]
    /// Corrections of a customer's `phone`, `email`, `contactConsent`: a change of the row that tablets pull, and a
    /// `customer.updated` event; returns the row afterwards.
    func updateCustomer(tenantId: Int64, id: String, fields: [String: JSONValue]) async throws -> RowRecord
    /// The plans that pay for a vehicle's work, nil when there is no such vehicle.
    func coveragePlans(tenantId: Int64, vehicleId: String) async throws -> [CoveragePlan]?
    /// Replaces a vehicle's plans and decides each open follow-up's cover again; returns those whose cover changed.
    func replaceCoveragePlans(
        tenantId: Int64,
        vehicleId: String,
        plans: [CoveragePlan]
    ) async throws -> [FollowUpRecord]
    /// Releases every scheduled follow-up whose release moment has come, emitting `followup.released`; returns how
    /// many. The query only touches due rows, so its cost does not grow with follow-ups that are not due.
    func releaseDueFollowups(now: Date, limit: Int) async throws -> Int
    /// Follow-ups per calendar month of their release moment in the tenant's time zone.
    func followupReport(tenantId: Int64, from: CalendarDate, to: CalendarDate) async throws -> [ReportMonth]
    /// Counts of follow-ups per state, for metrics.
    func followupCounts() async throws -> [String: Int]

    /// Events after a position, in commit order.
    func events(tenantId: Int64, after: String?, limit: Int) async throws -> EventPage
}

extension FollowUpStore {
    /// An outcome without anything else from the call.
    public func recordOutcome(
        tenantId: Int64,
        id: String,
        outcome: FollowUpOutcomeKind,
        reason: FollowUpReason?,
        note: String?,
        appointmentAt: Date?,
        isAdmin: Bool
    ) async throws -> FollowUpRecord {
        try await recordOutcome(
            tenantId: tenantId,
            id: id,
            OutcomeRequest(outcome: outcome, reason: reason, note: note, appointmentAt: appointmentAt, isAdmin: isAdmin)
        )
    }
}

/// Webhook endpoints and the delivery queue (DESIGN section 7).
public protocol WebhookStore: Sendable {
    func createEndpoint(
        tenantId: Int64,
        url: String,
        events: [String],
        description: String?,
        secret: String
    ) async throws -> WebhookEndpointRecord
    func endpoints(tenantId: Int64, cursor: String?, limit: Int) async throws -> Page<WebhookEndpointRecord>
    func endpoint(tenantId: Int64, id: String) async throws -> WebhookEndpointRecord?
    func updateEndpoint(
        tenantId: Int64,
        id: String,
        url: String?,
        events: [String]?,
        description: String?,
        enabled: Bool?
    ) async throws -> WebhookEndpointRecord
    func deleteEndpoint(tenantId: Int64, id: String) async throws -> Bool
    /// A new secret; the previous one keeps signing alongside for 24 hours.
    func rotateSecret(tenantId: Int64, id: String, newSecret: String) async throws -> WebhookEndpointRecord
    func deliveries(
        tenantId: Int64,
        endpointId: String,
        state: DeliveryState?,
        cursor: String?,
        limit: Int
    )
        async throws -> Page<DeliveryRecord>
    /// The newest deliveries to an endpoint, newest first (the console's log).
    func recentDeliveries(tenantId: Int64, endpointId: String, limit: Int) async throws -> [DeliveryRecord]
    /// Queues again every event since `since` that the endpoint subscribes to (same event ids); returns how many.
    func replay(tenantId: Int64, endpointId: String, since: Date) async throws -> Int

    /// Claims due deliveries for `lease`; a claim not reported back is taken again after it.
    func claimDeliveries(now: Date, limit: Int, lease: TimeInterval) async throws -> [ClaimedDelivery]
    /// Extends the lease of claims still being worked on, so that a slow batch is not taken over while it runs.
    func renewClaims(ids: [String], until: Date) async throws
    /// Records attempts in one transaction.
    func recordAttempts(_ outcomes: [AttemptOutcome]) async throws
    /// Called when a delivery worker starts: voids claims that can only belong to a dead process (a backend shared
    /// by several instances keeps them until their lease runs out).
    func recoverClaims() async throws
    /// Seconds the oldest due delivery has waited (0 when none), for the outbox lag metric.
    func outboxLag(now: Date) async throws -> TimeInterval
}
