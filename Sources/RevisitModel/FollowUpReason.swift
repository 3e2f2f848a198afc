/// Why a follow-up was `declined` or `lost` (DESIGN section 6): the report groups lost value by it, so a dealer
/// sees whether deferred work goes to competitors, fails on price or never reaches the customer.
public enum FollowUpReason: String, CaseIterable, Sendable, Codable {
    /// Too expensive.
    case price
    /// Done elsewhere.
    case competitor
    /// The customer could not be reached.
    case noContact = "no_contact"
    /// The customer no longer has the vehicle.
    case vehicleSold = "vehicle_sold"
    /// The customer (or a later look) says the work is not needed.
    case notNeeded = "not_needed"
    /// Anything else; the outcome's `note` says what.
    case other
}
