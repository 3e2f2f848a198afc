/// What the customer decided about an item at review (DESIGN sections 3 and 6); it decides whether a follow-up
/// is made.
public enum CustomerDecision: String, CaseIterable, Sendable, Codable {
    /// Do the work now: no follow-up.
    case approved
    /// Do it later: a follow-up.
    case deferred
    /// Not wanted: a follow-up all the same for `now` items, which are safety findings.
    case declined
}
