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
/// **Back to scheduled.** A follow-up already handed to the CRM stays there unless it was released more than
/// ``recallEarlyDays`` before its new due date and its new release is still ahead: see there why.
public enum FollowUpReplanner {
    /// How many days before its new due date a follow-up kept in the CRM may have been released; one released
    /// earlier than that goes back to `scheduled` (if its new release is still ``recallNoticeDays`` ahead).
    ///
    /// Thirty days is the "no more than 30 days early" aim's own limit, so the recall takes back exactly the
    /// follow-ups the aim counts as too early, and no other: a follow-up the CRM got in good time stays there
    /// however the date moves, so the CRM does not see a customer it is about to phone taken away. A recall hardly
    /// risks lateness (its new release counts from a fresh reading, and in the simulation no recall made one
    /// follow-up late); what it costs is churn: the CRM gets the same customer back later, with a webhook each
    /// way. In `FollowUpReleaseSimulationTests`' call round (four fleets of 1,000, first call on the 25th of the
    /// month before the true due month) this rule keeps 91% of follow-ups within 30 days of due and recalls 11% of
    /// them; recalling by the new release alone (more than 14 days ahead, the rule before) kept 84% and recalled
    /// 3%, and more than 3 days ahead kept 91% but recalled 15%.
    public static let recallEarlyDays = 30
    /// How far ahead the new release of a too-early follow-up must lie for a recall to be worth it: one that would
    /// be released again within a day stays with the CRM.
    public static let recallNoticeDays = 1

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
    ///   - releasedAt: When the follow-up was handed to the CRM if it is currently `released`, else nil, for
    ///     ``FollowUpReplan/backToScheduled``.
    public static func replan(
        targetKm: Int64,
        readings: [OdometerSample],
        settings: TenantSettings,
        now: Date,
        releasedAt: Date?
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
            backToScheduled: releasedAt.map { releasedAt in
                let early = planned.due.daysSinceEpoch - CalendarDate(releasedAt, in: settings.zone).daysSinceEpoch
                return early > recallEarlyDays && releaseAt.timeIntervalSince(now) > Double(recallNoticeDays) * 86_400
            } ?? false
        )
    }
}
