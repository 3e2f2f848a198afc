import Foundation

/// A kilometre-based follow-up's due date and release moment after a new odometer reading (DESIGN section 6, "The
/// call round"), as ``FollowUpReplanner`` works it out: what the store writes back, with what it counted from so a
/// dealer can see why the date moved.
public struct FollowUpReplan: Sendable, Hashable {
    /// The day the work is now expected to fall due.
    public var dueDate: CalendarDate
    /// When the scheduler hands it to the CRM: 08:00 in the tenant's time zone, never before the re-plan.
    public var releaseAt: Date
    /// The lead used, in days: the tenant's lead time, widened for what is still uncertain after the reading.
    public var leadDays: Int
    /// The reading the kilometres still to drive count from: the vehicle's latest trusted one.
    public var anchor: OdometerSample
    /// The vehicle's kilometres per day with the new reading, nil when the readings give none and the tenant's
    /// `kmPerDay` applied.
    public var estimate: KmPerDayEstimate?
    /// Whether a follow-up already handed to the CRM should go back to `scheduled`: it was released more than
    /// ``FollowUpReplanner/recallEarlyDays`` before its new due date, and its new release is still ahead.
    public var backToScheduled: Bool

    public init(
        dueDate: CalendarDate,
        releaseAt: Date,
        leadDays: Int,
        anchor: OdometerSample,
        estimate: KmPerDayEstimate?,
        backToScheduled: Bool
    ) {
        self.dueDate = dueDate
        self.releaseAt = releaseAt
        self.leadDays = leadDays
        self.anchor = anchor
        self.estimate = estimate
        self.backToScheduled = backToScheduled
    }
}
