import Foundation

/// Re-plans an open kilometre-based follow-up when the vehicle has a new odometer reading (DESIGN section 6, "The
/// call round"): the dealer phones the month's list, the customer reads the dashboard, and the due date is worked
/// out again from what the car has really covered.
///
/// **Counting from the latest reading.** The work falls due at a fixed odometer (the inspection's odometer plus the
/// item's `remainingKm`). At the close, the kilometres still to drive counted from the inspection; now they count
/// from the latest reading the estimator trusts (the anchor), which is exact where the rate is not. The horizon H
/// is measured from the anchor too, so a fresh reading shrinks the error of the date in days (H·e and the driving
/// still to come both grow with H) and with it the widened lead: a customer called for the reading is not called
/// again weeks early for the same uncertainty. The rate is ``KmPerDayEstimator``'s over all the readings (which
/// weighs recent ones more, so a changed habit shows), else the tenant's `kmPerDay` as a guess; due date, lead and
/// release follow ``FollowUpPlanner``'s rules exactly, so a re-planned follow-up is released as a new one would be.
///
/// **Back to scheduled.** A follow-up already handed to the CRM stays there unless its new release lies more than
/// ``recallDays`` ahead: see there why.
public enum FollowUpReplanner {
    /// How far ahead, in days, the new release of a released follow-up must lie for it to go back to `scheduled`.
    ///
    /// Fourteen days is the tenant's default lead time. A follow-up kept in the CRM while its new release is r days
    /// ahead is called r + lead days before its new estimate, so with the default lead a follow-up that is kept is
    /// called at most about 28 days before it is due, inside the "no more than 30 days early" aim; one further off
    /// is recalled and released again when its time comes. A recall hardly risks lateness (its new release is weeks
    /// ahead and counts from a fresh reading; in the simulation no threshold made one follow-up more late); what it
    /// costs is churn: the CRM gets the same customer back later, with a webhook each way. In
    /// `FollowUpReleaseSimulationTests`' call round (four fleets of 1,000), 14 days keeps 94% of follow-ups within 30
    /// days of due and recalls 8% of them; 7 days would give 97% for 13% recalled, 30 days 90% for 3%. Fourteen
    /// meets the aim with room and recalls only the follow-ups that are clearly early.
    public static let recallDays = 14

    /// The new due date and release of a follow-up that falls due at odometer `targetKm`, given all of the
    /// vehicle's `readings` (inspections' and the CRM's, the new one among them), or nil without a usable reading
    /// to count from.
    ///
    /// - Parameters:
    ///   - targetKm: The odometer at which the work falls due: the inspection's odometer plus the item's
    ///     `remainingKm`.
    ///   - readings: Every reading of the vehicle, in any order; typos are ignored as the estimator ignores them.
    ///   - settings: The tenant's lead time, km per day, release mode and time zone.
    ///   - now: The moment of the re-plan: no release lies before it.
    ///   - released: Whether the follow-up is currently `released`, for ``FollowUpReplan/backToScheduled``.
    public static func replan(
        targetKm: Int64,
        readings: [OdometerSample],
        settings: TenantSettings,
        now: Date,
        released: Bool
    ) -> FollowUpReplan? {
        guard let anchor = KmPerDayEstimator.trusted(readings).last?.sample else { return nil }
        let estimate = KmPerDayEstimator.estimate(readings)
        let (left, overflow) = targetKm.subtractingReportingOverflow(anchor.km)
        let planned = FollowUpPlanner.kilometreDue(
            remainingKm: overflow ? 0 : left,
            from: CalendarDate(anchor.at, in: settings.zone),
            estimate: estimate,
            settings: settings
        )
        let releaseAt = FollowUpPlanner.releaseMoment(
            due: planned.due,
            leadDays: planned.leadDays,
            settings: settings,
            notBefore: now
        )
        return FollowUpReplan(
            dueDate: planned.due,
            releaseAt: releaseAt,
            leadDays: planned.leadDays,
            anchor: anchor,
            estimate: estimate,
            backToScheduled: released && releaseAt.timeIntervalSince(now) > Double(recallDays) * 86_400
        )
    }
}
