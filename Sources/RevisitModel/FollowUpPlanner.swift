import Foundation

/// Works out a follow-up's due date and release moment (DESIGN section 6); `docs/follow-up-release.md` explains
/// the choice for dealers and CRM teams.
///
/// **Due date.** The item's `dueDate`; else its `remainingKm` over the vehicle's kilometres per day
/// (``KmPerDayEstimator``, else the tenant's `kmPerDay`), counted from the inspection's local day (rounded down:
/// a day early rather than late); else the template item's `defaultIntervalDays`, else 180 days, from that day.
/// A safety-critical follow-up is due 7 days after the local day of the close, or on the item's `dueDate` if that
/// is earlier.
///
/// **Lead.** The tenant's `leadTimeDays`, except for kilometre-based due dates, where the date is itself an
/// estimate and may be wider. Its error in days is modelled as normal with σ² = (H·e)² + w²·7·H + s(H)², where H
/// is the horizon (days from the inspection to the estimated due date) and
/// - H·e is the error of the rate: e is ``KmPerDayEstimate/relativeError``, or ``tenantDefaultRelativeError``
///   for the tenant default, which knows nothing of this car;
/// - w²·7·H is the driving still to come varying from week to week (w = ``KmPerDayEstimator/weeklyVariability``),
///   which averages out, so it grows only with √H;
/// - s(H) = A·365/(2π)·√2·|sin(πH/365)| is the seasonal swing (A = ``KmPerDayEstimator/seasonalAmplitude``) over
///   the horizon, at its rms over the unknown phase: nothing over whole years, most over half a year.
///
/// A release 1.645 σ before the estimated date comes before the real one for 95% of follow-ups, so the lead is
/// max(leadTimeDays, min(1.645 σ, 30 days, H/2)). The tenant's lead time already covers small errors: adding the
/// widening on top of it would call well-measured customers weeks early. The widening stops at 30 days, the
/// second aim's own limit (no more than 30 days early for 80%): a release more than 30 days before the best
/// estimate is more than 30 days early whenever the estimate is right or late, so past that point widening spends
/// the second aim faster than it buys the first; the few follow-ups that uncertain (long horizons, the tenant
/// default) take the 5% instead. It also stops at half the horizon: a call before halfway is about nothing yet.
/// `FollowUpReleaseSimulationTests` checks both aims on simulated vehicles.
///
/// **Release.** Continuous mode: 08:00 in the tenant's time zone on the due date less the lead. Monthly mode
/// batches by due month: a follow-up is released at 08:00 on the tenant's `releaseDay` of the month before the
/// month it is due in, so on that day the CRM gets every follow-up due in the next calendar month (the batch's
/// own spacing replaces `leadTimeDays`); a kilometre estimate's widening (the lead beyond `leadTimeDays`) moves
/// the date it is batched by earlier first. Safety-critical follow-ups are never held for a batch. Either way a
/// release never lies before the close: one whose moment has passed is released at once.
public enum FollowUpPlanner {
    /// The relative error of the tenant's default km/day for a car it was not measured on: cars are driven from
    /// a few to over a hundred kilometres a day, so the default is a rough guess (1-sigma ±50%).
    public static let tenantDefaultRelativeError: Double = 0.5
    /// The largest lead a kilometre estimate widens to: the "no more than 30 days early" aim's own limit.
    public static let maximumLeadDays: Double = 30
    /// The days after the close within which a safety-critical follow-up is due.
    public static let safetyDueDays = 7
    /// The interval when neither the item nor its template gives one.
    public static let defaultIntervalDays = 180
    /// The farthest a due date is put (10 years), so absurd inputs stay on the calendar.
    public static let maximumHorizonDays: Double = 3650
    /// The local hour of every release.
    public static let releaseHour = 8

    private static let maximumDays = Int(maximumHorizonDays)

    /// The due date and release moment of one follow-up.
    public static func plan(_ input: FollowUpInput, settings: TenantSettings) -> FollowUpPlan {
        let zone = settings.zone
        let base = baseLeadDays(settings)
        let inspectionDay = CalendarDate(input.inspectedAt, in: zone)
        if input.kind == .safetyCritical {
            let weekAfterClose = CalendarDate(input.closedAt, in: zone).adding(days: safetyDueDays)
            var (due, source) = (weekAfterClose, FollowUpPlan.Source.safety)
            if let own = input.dueDate, own < weekAfterClose { (due, source) = (own, .dueDate) }
            return FollowUpPlan(
                dueDate: due,
                releaseAt: release(on: due.adding(days: -base), zone: zone, notBefore: input.closedAt),
                source: source,
                safetyCritical: true,
                leadDays: base
            )
        }

        let due: CalendarDate
        let source: FollowUpPlan.Source
        var lead = base
        if let own = input.dueDate {
            (due, source) = (own, .dueDate)
        } else if let remainingKm = input.remainingKm {
            let estimated = kilometreDue(
                remainingKm: remainingKm,
                from: inspectionDay,
                estimate: input.vehicleEstimate,
                settings: settings
            )
            (due, source, lead) = (estimated.due, .remainingKm, estimated.leadDays)
        } else if let interval = input.templateIntervalDays {
            (due, source) = (inspectionDay.adding(days: min(max(0, interval), maximumDays)), .templateInterval)
        } else {
            (due, source) = (inspectionDay.adding(days: defaultIntervalDays), .defaultInterval)
        }

        return FollowUpPlan(
            dueDate: due,
            releaseAt: releaseMoment(due: due, leadDays: lead, settings: settings, notBefore: input.closedAt),
            source: source,
            safetyCritical: false,
            leadDays: lead
        )
    }

    /// The lead for a kilometre-based due date `horizonDays` ahead whose rate has the 1-sigma `relativeError`:
    /// max(base, min(1.645 σ, 30, H/2)) as the type's description says, in whole days.
    public static func leadDays(base: Int, horizonDays: Double, relativeError: Double) -> Int {
        let horizon = horizonDays.isFinite ? min(max(0, horizonDays), maximumHorizonDays) : 0
        let estimate = horizon * relativeError
        let weekly = KmPerDayEstimator.weeklyVariability
        // A sinusoidal swing of amplitude A over a year shifts the km covered in H days by up to
        // A·365/(2π)·2|sin(πH/365)| days' worth; over a random phase its rms is that over √2.
        let season =
            KmPerDayEstimator.seasonalAmplitude * 365 / (2 * .pi) * 2.0.squareRoot() * abs(sin(.pi * horizon / 365))
        let sigma = (estimate * estimate + weekly * weekly * 7 * horizon + season * season).squareRoot()
        let wanted = sigma.isFinite ? 1.645 * sigma : maximumLeadDays
        let widened = min(wanted, maximumLeadDays, horizon / 2)
        return max(base, Int(widened.rounded(.up)))
    }

    /// The due date `remainingKm` ahead of `day` at the vehicle's `estimate` (else the tenant's `kmPerDay`, as a
    /// guess with ``tenantDefaultRelativeError``), with its widened lead: the one rule for both the close of an
    /// inspection, counting from its day, and a re-plan, counting from the latest reading (``FollowUpReplanner``).
    static func kilometreDue(
        remainingKm: Int64,
        from day: CalendarDate,
        estimate: KmPerDayEstimate?,
        settings: TenantSettings
    ) -> (due: CalendarDate, leadDays: Int, horizonDays: Double) {
        // An estimate that is not a positive finite rate (only a hand-made one can be) is no estimate.
        let estimate = estimate.flatMap { $0.kmPerDay.isFinite && $0.kmPerDay > 0 ? $0 : nil }
        let setting =
            settings.kmPerDay.isFinite && settings.kmPerDay > 0 ? settings.kmPerDay : TenantSettings().kmPerDay
        let rate = estimate?.kmPerDay ?? setting
        let error = estimate?.relativeError ?? tenantDefaultRelativeError
        let horizon = min(Double(max(0, remainingKm)) / rate, maximumHorizonDays)
        let lead = leadDays(base: baseLeadDays(settings), horizonDays: horizon, relativeError: error)
        return (day.adding(days: Int(horizon.rounded(.down))), lead, horizon)
    }

    /// When a follow-up due on `due` with `leadDays` of lead reaches the CRM in the tenant's release mode (the
    /// type's description, **Release**), never before `notBefore`: one rule for planning and re-planning, so a
    /// re-planned follow-up is released as a new one with the same due date would be.
    static func releaseMoment(due: CalendarDate, leadDays: Int, settings: TenantSettings, notBefore: Date) -> Date {
        let day: CalendarDate
        switch settings.releaseMode {
        case .continuous:
            day = due.adding(days: -leadDays)
        case .monthly:
            // A widening beyond the tenant's lead time moves the date it is batched by earlier first.
            let batchedBy = due.adding(days: baseLeadDays(settings) - leadDays)
            day = monthlyReleaseDay(due: batchedBy, releaseDay: settings.releaseDay)
        }
        return release(on: day, zone: settings.zone, notBefore: notBefore)
    }

    /// The tenant's lead time, kept on the calendar.
    static func baseLeadDays(_ settings: TenantSettings) -> Int {
        min(max(0, settings.leadTimeDays), maximumDays)
    }

    /// The monthly batch day for a follow-up due on `due`: `releaseDay` of the month before `due`'s month.
    static func monthlyReleaseDay(due: CalendarDate, releaseDay: Int) -> CalendarDate {
        let (year, month) = due.month == 1 ? (due.year - 1, 12) : (due.year, due.month - 1)
        return CalendarDate(year: year, month: month, day: min(max(releaseDay, 1), 28))
            ?? CalendarDate(year: 1, month: 1, day: 1)!
    }

    /// 08:00 in `zone` on `day`, or `notBefore` if that has passed.
    static func release(on day: CalendarDate, zone: TimeZone, notBefore: Date) -> Date {
        max(day.instant(hour: releaseHour, in: zone), notBefore)
    }
}
