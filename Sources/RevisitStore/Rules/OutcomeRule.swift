import Foundation
import RevisitModel

/// What a CRM reports at `POST /v1/followups/{id}/outcome` (DESIGN section 6), with what the call brought to light:
/// the customer's reading of the dashboard and corrections of their contact details.
public struct OutcomeRequest: Sendable {
    public var outcome: FollowUpOutcomeKind
    public var reason: FollowUpReason?
    public var note: String?
    public var appointmentAt: Date?
    public var isAdmin: Bool
    public var odometer: OdometerSample?
    /// `phone`, `email`, `contactConsent`: written to the customer row as a change tablets pull.
    public var customer: [String: JSONValue]?

    public init(
        outcome: FollowUpOutcomeKind,
        reason: FollowUpReason? = nil,
        note: String? = nil,
        appointmentAt: Date? = nil,
        isAdmin: Bool,
        odometer: OdometerSample? = nil,
        customer: [String: JSONValue]? = nil
    ) {
        self.outcome = outcome
        self.reason = reason
        self.note = note
        self.appointmentAt = appointmentAt
        self.isAdmin = isAdmin
        self.odometer = odometer
        self.customer = customer
    }
}

/// What recording an outcome writes: the follow-up as it is afterwards and the event that says so, or nothing when
/// the outcome repeats what the follow-up already has.
struct OutcomePlan: Sendable {
    var record: FollowUpRecord
    /// nil: nothing changes (no new version, no event); the answer is the record as it was.
    var event: EventEnvelope?
}

/// The outcome rule, once for both backends: ``FollowUpTransition`` decides the state, this rule the details
/// (`reason`, `note`, `appointmentAt`), the new version and the event.
enum OutcomeRule {
    /// - Parameters:
    ///   - current: the follow-up as the transaction read it.
    ///   - request: the outcome and its details.
    ///   - now: the transaction's time.
    ///   - eventId: the id the event gets if there is one.
    /// - Throws: the ``MutationProblem`` of ``FollowUpTransition/apply(_:to:reason:isAdmin:)``.
    static func plan(
        _ current: FollowUpRecord,
        _ request: OutcomeRequest,
        now: Date,
        eventId: String
    ) throws(MutationProblem) -> OutcomePlan {
        let result = try FollowUpTransition.apply(
            request.outcome,
            to: current.state,
            reason: request.reason,
            isAdmin: request.isAdmin
        )
        var details = current.outcome ?? [:]
        if let reason = request.reason { details["reason"] = .string(reason.rawValue) }
        if let note = request.note { details["note"] = .string(note) }
        if let at = request.appointmentAt { details["appointmentAt"] = .string(RFC3339DateTime.string(from: at)) }
        let state: FollowUpState
        switch result {
        case .unchanged:
            return OutcomePlan(record: current, event: nil)
        case .updated:
            // `booked` again: a retry that moves nothing changes nothing.
            if details == (current.outcome ?? [:]) { return OutcomePlan(record: current, event: nil) }
            state = current.state
        case .changed(let next):
            state = next
        }
        var record = current.changed(to: state, at: now)
        record.outcome = details
        let type: EventType = state == .cancelled ? .followupCancelled : .followupUpdated
        return OutcomePlan(
            record: record,
            event: EventEnvelope(id: eventId, type: type, timestamp: now, data: record.json)
        )
    }
}
