/// What a CRM (or an admin) reports on a follow-up: the `outcome` of `POST /v1/followups/{id}/outcome`
/// (DESIGN section 6). ``FollowUpTransition`` decides what it does to the follow-up's state.
public enum FollowUpOutcomeKind: String, CaseIterable, Sendable, Codable {
    /// The customer was reached.
    case contacted
    /// The customer booked the work; repeating it moves `appointmentAt`.
    case booked
    /// The customer does not want the work; needs a reason.
    case declined
    /// The work is lost; needs a reason.
    case lost
    /// The work was done.
    case done
    /// Withdrawn; admin only.
    case cancelled

    /// The state this outcome puts a follow-up in (each outcome names its state).
    public var state: FollowUpState {
        switch self {
        case .contacted: .contacted
        case .booked: .booked
        case .declined: .declined
        case .lost: .lost
        case .done: .done
        case .cancelled: .cancelled
        }
    }

    /// Whether the outcome must say why (`declined` and `lost`): without a reason the lost-value report cannot
    /// tell price from competitors.
    public var needsReason: Bool { self == .declined || self == .lost }
}
