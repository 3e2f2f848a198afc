import Foundation

/// What ``FollowUpPlanner`` needs to know about one item of a closed inspection: the store gathers it in the
/// closing transaction, so the planning rules stay free of storage.
public struct FollowUpInput: Sendable {
    /// Which kind of follow-up ``FollowUpSelection`` chose.
    public var kind: FollowUpSelection.Kind
    /// The item's `dueDate`, if the mechanic set one.
    public var dueDate: CalendarDate?
    /// The item's `remainingKm`, if the mechanic set it.
    public var remainingKm: Int64?
    /// The template item's `defaultIntervalDays`, if it has one.
    public var templateIntervalDays: Int?
    /// When the inspection was done: kilometres and intervals count from its local day.
    public var inspectedAt: Date
    /// When the inspection was closed: "now" for the planner, so no release lies before it.
    public var closedAt: Date
    /// The vehicle's kilometres per day from its odometer readings, nil if they give none.
    public var vehicleEstimate: KmPerDayEstimate?

    public init(
        kind: FollowUpSelection.Kind,
        dueDate: CalendarDate? = nil,
        remainingKm: Int64? = nil,
        templateIntervalDays: Int? = nil,
        inspectedAt: Date,
        closedAt: Date,
        vehicleEstimate: KmPerDayEstimate? = nil
    ) {
        self.kind = kind
        self.dueDate = dueDate
        self.remainingKm = remainingKm
        self.templateIntervalDays = templateIntervalDays
        self.inspectedAt = inspectedAt
        self.closedAt = closedAt
        self.vehicleEstimate = vehicleEstimate
    }
}
