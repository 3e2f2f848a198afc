/// The outcome rules of a follow-up (DESIGN section 6), kept pure so the store applies them inside its transaction
/// and the tests cover every pair of outcome and state.
///
/// An open follow-up may take any later outcome on the path `scheduled` < `released` < `contacted` < `booked` <
/// `done` (a CRM may go straight from `released` to `booked`, and a customer who books on their own may do so
/// while it is still `scheduled`); `declined`, `lost` and `cancelled` end it from any open state. Repeating the
/// current outcome changes nothing, except that `booked` again moves the appointment; this holds on a final follow-up
/// too (`done` again on a `done` one), so a CRM that retries a request whose answer it lost gets 200. Going back
/// answers 409 `invalid-transition`; any other outcome on a final follow-up answers 409 `followup-final`.
///
/// Checks run in the order a client can act on: the role (403 for `cancelled` without admin), then the request
/// itself (422 for `declined`/`lost` without a reason), then the follow-up's state (409).
public enum FollowUpTransition {
    /// What an accepted outcome does.
    public enum Result: Sendable, Equatable {
        /// The follow-up moves to this state (emit `followup.updated`, or `followup.cancelled`).
        case changed(FollowUpState)
        /// The outcome repeats the current state: answer 200, change nothing, emit nothing.
        case unchanged
        /// `booked` again: the state stays, the outcome's details (`appointmentAt`, note) are replaced.
        case updated
    }

    /// Decides what `outcome` does to a follow-up in state `current`.
    /// - Parameters:
    ///   - outcome: what the CRM reports.
    ///   - current: the follow-up's state now.
    ///   - reason: the outcome's reason; required for `declined` and `lost`, ignored otherwise.
    ///   - isAdmin: whether the caller has an admin token; `cancelled` needs one.
    /// - Throws: `forbidden` (403), `validation` (422), `followup-final` or `invalid-transition` (409).
    public static func apply(
        _ outcome: FollowUpOutcomeKind,
        to current: FollowUpState,
        reason: FollowUpReason?,
        isAdmin: Bool
    ) throws(MutationProblem) -> Result {
        if outcome == .cancelled, !isAdmin {
            throw .forbidden("only an admin token may cancel a follow-up")
        }
        if outcome.needsReason, reason == nil {
            let reasons = FollowUpReason.allCases.map(\.rawValue).joined(separator: ", ")
            throw .validation("reason: a \(outcome.rawValue) outcome needs a reason (one of \(reasons))")
        }
        guard current.isOpen else {
            if outcome.state == current { return .unchanged }
            throw .followupFinal("the follow-up is \(current.rawValue), which is final: it takes no other outcome")
        }
        let target = outcome.state
        guard let from = current.progressRank, let to = target.progressRank else {
            // declined, lost and cancelled end any open follow-up.
            return .changed(target)
        }
        if to > from { return .changed(target) }
        if to == from { return outcome == .booked ? .updated : .unchanged }
        throw .invalidTransition(
            "the follow-up is \(current.rawValue): it cannot go back to \(target.rawValue)"
        )
    }
}
