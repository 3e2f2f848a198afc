/// Where a follow-up stands (DESIGN section 6): the CRM moves it forward with outcomes, the server with release,
/// fulfilment and supersession.
///
/// The progress states are ordered `scheduled` < `released` < `contacted` < `booked` < `done`, so that an outcome
/// can be checked against the current state without a transition table; the other states end the follow-up.
public enum FollowUpState: String, CaseIterable, Sendable, Codable {
    /// Created at the close of an inspection, waiting for its `releaseAt`.
    case scheduled
    /// Handed to the CRM (`followup.released`).
    case released
    /// The CRM reached the customer.
    case contacted
    /// The customer booked the work (`outcome.appointmentAt`).
    case booked
    /// The work was done: the revenue the follow-up was for.
    case done
    /// The customer does not want the work (with a reason).
    case declined
    /// The work is lost, e.g. to a competitor (with a reason).
    case lost
    /// Withdrawn by an admin (created by mistake, customer asked not to be called).
    case cancelled
    /// A later inspection found the item `ok` or had the work approved, so nothing is left to sell.
    case fulfilled
    /// A newer follow-up for the same vehicle and item code replaced it: one open follow-up per vehicle and code.
    case superseded

    /// Whether the follow-up has ended: it takes no further outcome (409 `followup-final`).
    public var isFinal: Bool {
        switch self {
        case .done, .declined, .lost, .cancelled, .fulfilled, .superseded: true
        case .scheduled, .released, .contacted, .booked: false
        }
    }

    /// Whether the follow-up is still open: not ``isFinal``; at most one open follow-up per vehicle and code.
    public var isOpen: Bool { !isFinal }

    /// The position on the progress path (`scheduled` 0 … `done` 4), nil for the states off it; an outcome may
    /// only move a follow-up forward on this path.
    var progressRank: Int? {
        switch self {
        case .scheduled: 0
        case .released: 1
        case .contacted: 2
        case .booked: 3
        case .done: 4
        case .declined, .lost, .cancelled, .fulfilled, .superseded: nil
        }
    }
}
