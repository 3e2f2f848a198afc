import Foundation
import Testing

@testable import RevisitModel

/// Due dates from each source, release moments in the tenant's time zone, monthly batches and the widening of the
/// lead for uncertain kilometre estimates (DESIGN section 6).
@Suite("Follow-up planning")
struct FollowUpPlannerTests {
    static func instant(_ text: String) -> Date { RFC3339DateTime.date(from: text)! }
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    static let inspected = instant("2026-03-14T09:30:00Z")
    static let utc = TenantSettings()
    static var amsterdam: TenantSettings {
        var settings = TenantSettings()
        settings.timeZone = "Europe/Amsterdam"
        return settings
    }
    /// A vehicle measured over a year and a half of steady driving.
    static let wellMeasured = KmPerDayEstimate(kmPerDay: 40, spanDays: 540, samples: 5, relativeError: 0.025)

    static func plan(
        _ kind: FollowUpSelection.Kind = .deferred,
        dueDate: CalendarDate? = nil,
        remainingKm: Int64? = nil,
        interval: Int? = nil,
        inspectedAt: Date = inspected,
        closedAt: Date = inspected,
        estimate: KmPerDayEstimate? = nil,
        settings: TenantSettings = utc
    ) -> FollowUpPlan {
        FollowUpPlanner.plan(
            FollowUpInput(
                kind: kind,
                dueDate: dueDate,
                remainingKm: remainingKm,
                templateIntervalDays: interval,
                inspectedAt: inspectedAt,
                closedAt: closedAt,
                vehicleEstimate: estimate
            ),
            settings: settings
        )
    }

    @Test("the item's own due date comes first, released 14 days before at 08:00")
    func ownDueDate() {
        let plan = Self.plan(
            dueDate: Self.date("2026-06-30"),
            remainingKm: 5000,
            interval: 90,
            estimate: Self.wellMeasured
        )
        #expect(plan.source == .dueDate)
        #expect(plan.dueDate == Self.date("2026-06-30"))
        #expect(plan.releaseAt == Self.instant("2026-06-16T08:00:00Z"))
        #expect(plan.leadDays == 14)
        #expect(!plan.safetyCritical)
    }

    @Test("remaining kilometres over the vehicle's estimate, counted from the inspection day")
    func remainingKmFromEstimate() {
        let plan = Self.plan(remainingKm: 4000, interval: 90, estimate: Self.wellMeasured)
        #expect(plan.source == .remainingKm)
        #expect(plan.dueDate == Self.date("2026-03-14").adding(days: 100))
        #expect(plan.leadDays == FollowUpPlanner.leadDays(base: 14, horizonDays: 100, relativeError: 0.025))
        #expect(plan.releaseAt == plan.dueDate.adding(days: -plan.leadDays).instant(hour: 8, in: .gmt))
    }

    @Test("without an estimate the tenant's km per day applies, as a very uncertain one")
    func remainingKmFromTenantDefault() {
        var settings = TenantSettings()
        settings.kmPerDay = 50
        let plan = Self.plan(remainingKm: 10_000, settings: settings)
        #expect(plan.source == .remainingKm)
        #expect(plan.dueDate == Self.date("2026-03-14").adding(days: 200))
        #expect(plan.leadDays == 30)
        #expect(Self.plan(remainingKm: 7200).dueDate == Self.date("2026-03-14").adding(days: 200))
    }

    @Test("then the template's interval, then 180 days")
    func intervals() {
        let template = Self.plan(interval: 365)
        #expect(template.source == .templateInterval)
        #expect(template.dueDate == Self.date("2027-03-14"))
        let fallback = Self.plan()
        #expect(fallback.source == .defaultInterval)
        #expect(fallback.dueDate == Self.date("2026-09-10"))
        #expect(fallback.leadDays == 14)
    }

    @Test("days count from the inspection's date in the tenant's time zone")
    func inspectionDayIsLocal() {
        let lateEvening = Self.instant("2026-03-14T23:30:00Z")  // 00:30 on the 15th in Amsterdam
        #expect(
            Self.plan(interval: 10, inspectedAt: lateEvening, closedAt: lateEvening).dueDate == Self.date("2026-03-24")
        )
        let amsterdam = Self.plan(
            interval: 10,
            inspectedAt: lateEvening,
            closedAt: lateEvening,
            settings: Self.amsterdam
        )
        #expect(amsterdam.dueDate == Self.date("2026-03-25"))
    }

    @Test("08:00 in Amsterdam is 07:00 UTC in winter and 06:00 UTC in summer, on both sides of each change")
    func amsterdamAcrossDaylightSaving() {
        let cases: [(due: String, release: String)] = [
            ("2026-04-11", "2026-03-28T07:00:00Z"),  // released the day before summer time starts
            ("2026-04-12", "2026-03-29T06:00:00Z"),  // released the day it starts
            ("2026-11-07", "2026-10-24T06:00:00Z"),  // the day before winter time
            ("2026-11-08", "2026-10-25T07:00:00Z"),  // the day it starts
            ("2026-07-15", "2026-07-01T06:00:00Z"),
        ]
        for (due, release) in cases {
            let plan = Self.plan(dueDate: Self.date(due), settings: Self.amsterdam)
            #expect(plan.releaseAt == Self.instant(release), "due \(due)")
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            #expect(calendar.component(.hour, from: plan.releaseAt) == 8)
        }
    }

    @Test("a release never lies before the close")
    func neverBeforeNow() {
        let closed = Self.instant("2026-03-20T15:45:00Z")
        #expect(Self.plan(dueDate: Self.date("2026-03-01"), closedAt: closed).releaseAt == closed)
        #expect(Self.plan(dueDate: Self.date("2026-03-30"), closedAt: closed).releaseAt == closed)
        #expect(
            Self.plan(dueDate: Self.date("2026-04-03"), closedAt: closed).releaseAt
                == Self.instant("2026-03-20T15:45:00Z")
        )
        #expect(
            Self.plan(dueDate: Self.date("2026-04-04"), closedAt: closed).releaseAt
                == Self.instant("2026-03-21T08:00:00Z")
        )
        #expect(Self.plan(remainingKm: 0, closedAt: closed).releaseAt == closed)
    }

    @Test("safety findings are due 7 days after the close, or earlier on their own date, and released at once")
    func safetyCritical() {
        let closed = Self.instant("2026-03-16T11:00:00Z")
        let plan = Self.plan(.safetyCritical, remainingKm: 9000, interval: 365, closedAt: closed)
        #expect(plan.safetyCritical)
        #expect(plan.source == .safety)
        #expect(plan.dueDate == Self.date("2026-03-23"))
        #expect(plan.releaseAt == closed)
        let earlier = Self.plan(.safetyCritical, dueDate: Self.date("2026-03-18"), closedAt: closed)
        #expect(earlier.dueDate == Self.date("2026-03-18"))
        #expect(earlier.source == .dueDate)
        #expect(earlier.safetyCritical)
        let later = Self.plan(.safetyCritical, dueDate: Self.date("2026-05-01"), closedAt: closed)
        #expect(later.dueDate == Self.date("2026-03-23"))
        #expect(later.source == .safety)
    }

    @Test("monthly mode releases on the release day of the month before the due month")
    func monthly() {
        var settings = Self.amsterdam
        settings.releaseMode = .monthly
        settings.releaseDay = 5
        let closed = Self.instant("2026-03-14T09:30:00Z")
        for due in ["2026-07-01", "2026-07-15", "2026-07-31"] {
            let plan = Self.plan(dueDate: Self.date(due), closedAt: closed, settings: settings)
            #expect(plan.releaseAt == Self.instant("2026-06-05T06:00:00Z"), "due \(due)")
        }
        #expect(
            Self.plan(dueDate: Self.date("2027-01-20"), closedAt: closed, settings: settings).releaseAt
                == Self.instant("2026-12-05T07:00:00Z")
        )
        // Due next month, but this month's release day has passed: released at once.
        #expect(Self.plan(dueDate: Self.date("2026-04-02"), closedAt: closed, settings: settings).releaseAt == closed)
        // Safety findings are not held for a batch.
        let safety = Self.plan(.safetyCritical, closedAt: closed, settings: settings)
        #expect(safety.releaseAt == closed)
    }

    @Test("in monthly mode a widened lead moves the batch month earlier")
    func monthlyWidened() {
        var settings = TenantSettings()
        settings.releaseMode = .monthly
        settings.releaseDay = 1
        // The tenant default: 3,600 km at 36 km a day is due in 100 days (2026-06-22) with 30 days of lead,
        // 16 beyond the tenant's 14, so it is batched as if due on 2026-06-06: released on 1 May.
        let plan = Self.plan(remainingKm: 3600, settings: settings)
        #expect(plan.dueDate == Self.date("2026-06-22"))
        #expect(plan.leadDays == 30)
        #expect(plan.releaseAt == Self.instant("2026-05-01T08:00:00Z"))
        // The same date from the item itself is batched by its own month.
        #expect(
            Self.plan(dueDate: Self.date("2026-06-22"), settings: settings).releaseAt
                == Self.instant("2026-05-01T08:00:00Z")
        )
        #expect(
            Self.plan(dueDate: Self.date("2026-07-02"), settings: settings).releaseAt
                == Self.instant("2026-06-01T08:00:00Z")
        )
    }

    @Test("the lead widens more for a longer horizon and for the tenant default than for a measured vehicle")
    func widening() {
        var noBaseLead = TenantSettings()
        noBaseLead.leadTimeDays = 0
        let near = Self.plan(remainingKm: 2000, estimate: Self.wellMeasured, settings: noBaseLead)
        let far = Self.plan(remainingKm: 10_000, estimate: Self.wellMeasured, settings: noBaseLead)
        #expect(near.leadDays > 0)
        #expect(far.leadDays > near.leadDays)

        let measured = Self.plan(remainingKm: 8000, estimate: Self.wellMeasured)
        let guessed = Self.plan(remainingKm: 7200)  // the tenant default, 36 km/day: also 200 days
        #expect(measured.dueDate == guessed.dueDate)
        #expect(guessed.leadDays > measured.leadDays)
        #expect(measured.leadDays >= 14)

        // A noisier or shorter measurement widens more than a steady one, over the same horizon.
        let shaky = KmPerDayEstimate(kmPerDay: 40, spanDays: 45, samples: 2, relativeError: 0.08)
        #expect(Self.plan(remainingKm: 8000, estimate: shaky).leadDays > measured.leadDays)

        #expect(
            FollowUpPlanner.leadDays(base: 0, horizonDays: 100, relativeError: 0.03)
                < FollowUpPlanner.leadDays(base: 0, horizonDays: 250, relativeError: 0.03)
        )
        #expect(FollowUpPlanner.leadDays(base: 14, horizonDays: 20, relativeError: 0.01) == 14)
        #expect(FollowUpPlanner.leadDays(base: 14, horizonDays: 2000, relativeError: 0.5) == 30)
        #expect(FollowUpPlanner.leadDays(base: 45, horizonDays: 2000, relativeError: 0.5) == 45)
        #expect(FollowUpPlanner.leadDays(base: 0, horizonDays: 30, relativeError: 0.5) == 15)
    }

    @Test("absurd inputs stay on the calendar")
    func absurdInputs() {
        let slow = KmPerDayEstimate(kmPerDay: 0.0001, spanDays: 400, samples: 3, relativeError: 0.1)
        let plan = Self.plan(remainingKm: .max, estimate: slow)
        #expect(plan.dueDate == Self.date("2026-03-14").adding(days: 3650))
        #expect(Self.plan(remainingKm: -500).dueDate == Self.date("2026-03-14"))
        #expect(Self.plan(interval: -3).dueDate == Self.date("2026-03-14"))
        #expect(Self.plan(interval: .max).dueDate == Self.date("2026-03-14").adding(days: 3650))
        let broken = KmPerDayEstimate(kmPerDay: .nan, spanDays: 400, samples: 3, relativeError: .nan)
        #expect(Self.plan(remainingKm: 3600, estimate: broken).dueDate == Self.date("2026-03-14").adding(days: 100))
        var huge = TenantSettings()
        huge.leadTimeDays = .max
        huge.kmPerDay = 0
        #expect(Self.plan(remainingKm: 3600, settings: huge).releaseAt == Self.inspected)
        var unknownZone = TenantSettings()
        unknownZone.timeZone = "Mars/Olympus_Mons"
        #expect(
            Self.plan(dueDate: Self.date("2026-06-30"), settings: unknownZone).releaseAt
                == Self.instant("2026-06-16T08:00:00Z")
        )
    }
}
