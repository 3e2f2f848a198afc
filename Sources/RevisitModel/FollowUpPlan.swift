import Foundation

/// When a follow-up is due and when it is handed to the CRM, with how that was found (DESIGN section 6), as
/// ``FollowUpPlanner`` works it out at the close of an inspection.
public struct FollowUpPlan: Sendable, Hashable {
    /// Where the due date came from, stored with the follow-up so a dealer can see why it was called when it was.
    public enum Source: String, Sendable, Codable {
        /// The item's own `dueDate`.
        case dueDate
        /// The item's `remainingKm` over the vehicle's (or the tenant's) kilometres per day.
        case remainingKm
        /// The template item's `defaultIntervalDays`.
        case templateInterval
        /// 180 days, when nothing else says.
        case defaultInterval
        /// A safety finding the customer did not have fixed: 7 days after the close.
        case safety
    }

    /// The day the work is due.
    public var dueDate: CalendarDate
    /// When the scheduler hands it to the CRM: 08:00 in the tenant's time zone, never before the close.
    public var releaseAt: Date
    /// How ``dueDate`` was found.
    public var source: Source
    /// Whether it is a safety finding (a `now` item the customer did not approve).
    public var safetyCritical: Bool
    /// The lead actually used, in days: the tenant's lead time, widened for uncertain kilometre estimates.
    public var leadDays: Int

    public init(dueDate: CalendarDate, releaseAt: Date, source: Source, safetyCritical: Bool, leadDays: Int) {
        self.dueDate = dueDate
        self.releaseAt = releaseAt
        self.source = source
        self.safetyCritical = safetyCritical
        self.leadDays = leadDays
    }
}
