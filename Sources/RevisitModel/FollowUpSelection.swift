/// Which items of a closed inspection become follow-ups (DESIGN section 6), as a pure rule the store applies in
/// the closing transaction and the tests check as a table.
public enum FollowUpSelection {
    /// The kind of follow-up an item gets.
    public enum Kind: Sendable, Equatable {
        /// A `later` item the customer did not approve: due by its own date, kilometres or interval.
        case deferred
        /// A `now` item the customer did not approve (deferred, declined or no decision): a safety finding, due
        /// within 7 days.
        case safetyCritical
    }

    /// The follow-up an item gets, or nil for none.
    ///
    /// `later` gives ``Kind/deferred`` and `now` ``Kind/safetyCritical``, unless the customer approved the work
    /// (then it is on the work order, and there is nothing to follow up); a `now` item without a decision counts
    /// as deferred. Other statuses, and every item of a vehicle that is not a customer's (internal, pre-delivery),
    /// get none: there is no customer to call.
    public static func select(status: ItemStatus, decision: CustomerDecision?, vehicleKind: VehicleKind) -> Kind? {
        guard vehicleKind == .customer, decision != .approved else { return nil }
        switch status {
        case .later: return .deferred
        case .now: return .safetyCritical
        case .unchecked, .ok, .na: return nil
        }
    }
}
