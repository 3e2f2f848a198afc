import Foundation
import Testing

@testable import RevisitModel

/// Re-planning a kilometre-based follow-up from a new odometer reading (DESIGN section 6, "The call round").
@Suite("Follow-up re-planning")
struct FollowUpReplannerTests {
    static func instant(_ text: String) -> Date { RFC3339DateTime.date(from: text)! }
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// The closing inspection: 2026-03-14, odometer 60,000.
    static let inspected = instant("2026-03-14T09:30:00Z")
    static let inspectionDay = date("2026-03-14")

    /// A reading `day` days after the inspection, at its time of day.
    static func reading(_ day: Double, _ km: Int64) -> OdometerSample {
        OdometerSample(at: inspected.addingTimeInterval(day * 86_400), km: km)
    }

    /// A year and a half of steady driving at 40 km a day up to the inspection. Targets below end in 20 km, half a
    /// day's driving, so a horizon never lands on a whole day where rounding could tip the date either way.
    static let history = (0...4).map { reading(Double($0 - 4) * 135, 60_000 - Int64(4 - $0) * 5_400) }

    static func replan(
        target: Int64,
        readings: [OdometerSample],
        now: Date,
        releasedAt: Date? = nil,
        settings: TenantSettings = TenantSettings()
    ) -> FollowUpReplan? {
        FollowUpReplanner.replan(
            targetKm: target,
            readings: readings,
            settings: settings,
            now: now,
            releasedAt: releasedAt
        )
    }

    /// The plan at the close for `remainingKm`, from the same history.
    static func planAtClose(remainingKm: Int64, settings: TenantSettings = TenantSettings()) -> FollowUpPlan {
        FollowUpPlanner.plan(
            FollowUpInput(
                kind: .deferred,
                remainingKm: remainingKm,
                inspectedAt: inspected,
                closedAt: inspected,
                vehicleEstimate: KmPerDayEstimator.estimate(history)
            ),
            settings: settings
        )
    }

    @Test("with only the inspections' readings, the re-plan is the plan at the close")
    func sameAsPlanner() throws {
        let replan = try #require(Self.replan(target: 68_020, readings: Self.history, now: Self.inspected))
        let plan = Self.planAtClose(remainingKm: 8_020)
        #expect(replan.dueDate == plan.dueDate)
        #expect(replan.dueDate == Self.inspectionDay.adding(days: 200))
        #expect(replan.releaseAt == plan.releaseAt)
        #expect(replan.leadDays == plan.leadDays)
        #expect(replan.anchor == Self.history.last)
        #expect(abs((replan.estimate?.kmPerDay ?? 0) - 40) < 1e-9)
    }

    @Test("a car driven more than estimated gets an earlier date, one driven less a later one")
    func movesTheRightWay() throws {
        let now = Self.instant("2026-06-22T10:00:00Z")
        let planned = Self.planAtClose(remainingKm: 8_020).dueDate
        // 100 days after the inspection: 6,000 km instead of the estimated 4,000.
        let more = try #require(
            Self.replan(target: 68_020, readings: Self.history + [Self.reading(100, 66_000)], now: now)
        )
        #expect(more.dueDate < planned)
        #expect(more.anchor == Self.reading(100, 66_000))
        #expect(more.estimate.map { $0.kmPerDay > 40 } == true)
        // 2,000 km instead: later.
        let less = try #require(
            Self.replan(target: 68_020, readings: Self.history + [Self.reading(100, 62_000)], now: now)
        )
        #expect(less.dueDate > planned)
        // As estimated: the same day.
        let asEstimated = try #require(
            Self.replan(target: 68_020, readings: Self.history + [Self.reading(100, 64_000)], now: now)
        )
        #expect(asEstimated.dueDate == planned)
    }

    @Test("a fresh reading narrows the lead for the same target")
    func narrowerLead() throws {
        var settings = TenantSettings()
        settings.leadTimeDays = 0
        let atClose = Self.planAtClose(remainingKm: 12_020, settings: settings)
        let fresh = try #require(
            Self.replan(
                target: 72_020,
                readings: Self.history + [Self.reading(200, 68_000)],
                now: Self.inspected.addingTimeInterval(200 * 86_400),
                settings: settings
            )
        )
        #expect(fresh.dueDate == atClose.dueDate)
        #expect(fresh.leadDays < atClose.leadDays)
        #expect(atClose.leadDays > 14)
    }

    @Test(
        "a released follow-up goes back to scheduled only if it was released more than 30 days before its new due date"
    )
    func backToScheduled() throws {
        let now = Self.instant("2026-07-25T10:00:00Z")  // 133 days after the inspection
        let releasedEarlier = Self.inspected.addingTimeInterval(120 * 86_400)
        // Driven far less than estimated: 2,660 km in 133 days, so 5,340 km still to go at about 38 km a day.
        let readings = Self.history + [Self.reading(133, 62_660)]
        let far = try #require(Self.replan(target: 68_020, readings: readings, now: now, releasedAt: releasedEarlier))
        let early =
            far.dueDate.daysSinceEpoch - CalendarDate(releasedEarlier, in: TimeZone(identifier: "UTC")!).daysSinceEpoch
        #expect(early > FollowUpReplanner.recallEarlyDays)
        #expect(far.backToScheduled)
        // The same re-plan of a scheduled follow-up has nothing to send back.
        #expect(Self.replan(target: 68_020, readings: readings, now: now)?.backToScheduled == false)
        // Driven as estimated with 980 km to go, due in 24 days: released today, the CRM got it in good time.
        let near = Self.history + [Self.reading(133, 65_320)]
        #expect(Self.replan(target: 66_300, readings: near, now: now, releasedAt: now)?.backToScheduled == false)
        // The same follow-up released 43 days ago was too early, and its new release is about 10 days off: recalled.
        let recalled = try #require(
            Self.replan(
                target: 66_300,
                readings: near,
                now: now,
                releasedAt: releasedEarlier.addingTimeInterval(-30 * 86_400)
            )
        )
        #expect(recalled.releaseAt.timeIntervalSince(now) > Double(FollowUpReplanner.recallNoticeDays) * 86_400)
        #expect(recalled.backToScheduled)
        // Released long ago but due in 10 days, so released again at once: a recall would only bounce it.
        let soon = try #require(
            Self.replan(
                target: 66_300,
                readings: Self.history + [Self.reading(133, 65_900)],
                now: now,
                releasedAt: releasedEarlier.addingTimeInterval(-30 * 86_400)
            )
        )
        #expect(soon.releaseAt == now)
        #expect(!soon.backToScheduled)
    }

    @Test("a target already passed is due on the anchor's day and released at once, not before now")
    func targetPassed() throws {
        let readAt = Self.instant("2026-06-22T16:20:00Z")
        let now = Self.instant("2026-06-22T16:25:00Z")
        let readings = Self.history + [OdometerSample(at: readAt, km: 69_500)]
        let replan = try #require(Self.replan(target: 68_020, readings: readings, now: now))
        #expect(replan.dueDate == Self.date("2026-06-22"))
        #expect(replan.releaseAt == now)
        #expect(!replan.backToScheduled)
        #expect(
            Self.replan(target: 68_020, readings: readings, now: now, releasedAt: Self.inspected)?.backToScheduled
                == false
        )
    }

    @Test("monthly mode batches the new due date by its month, on the release day of the month before")
    func monthly() throws {
        var settings = TenantSettings()
        settings.timeZone = "Europe/Amsterdam"
        settings.releaseMode = .monthly
        settings.releaseDay = 5
        let now = Self.instant("2026-06-25T10:00:00Z")
        let readings = Self.history + [Self.reading(103, 64_120)]
        // 103 days after the inspection at 40 km a day: 3,900 km left, due 97 days later, 2026-09-30.
        let replan = try #require(Self.replan(target: 68_020, readings: readings, now: now, settings: settings))
        #expect(replan.dueDate == Self.date("2026-09-30"))
        #expect(replan.releaseAt == Self.instant("2026-08-05T06:00:00Z"))
        // Due next month after this month's release day: released at once.
        let soon = try #require(Self.replan(target: 65_020, readings: readings, now: now, settings: settings))
        #expect(soon.dueDate == Self.date("2026-07-17"))
        #expect(soon.releaseAt == now)
    }

    @Test("the due date counts from the anchor's local day in the tenant's time zone")
    func anchorLocalDay() throws {
        var settings = TenantSettings()
        settings.timeZone = "Europe/Amsterdam"
        let lateEvening = Self.instant("2026-06-21T22:30:00Z")  // 00:30 on the 22nd in Amsterdam
        let readings = Self.history + [OdometerSample(at: lateEvening, km: 64_000)]
        let local = try #require(Self.replan(target: 64_000, readings: readings, now: lateEvening, settings: settings))
        #expect(local.dueDate == Self.date("2026-06-22"))
        let utc = try #require(Self.replan(target: 64_000, readings: readings, now: lateEvening))
        #expect(utc.dueDate == Self.date("2026-06-21"))
    }

    @Test("without an estimate the tenant's km per day applies as a guess; without readings there is no re-plan")
    func fallbacks() throws {
        var settings = TenantSettings()
        settings.kmPerDay = 50
        let one = try #require(
            Self.replan(target: 65_000, readings: [Self.reading(0, 60_000)], now: Self.inspected, settings: settings)
        )
        #expect(one.estimate == nil)
        #expect(one.dueDate == Self.inspectionDay.adding(days: 100))
        #expect(one.leadDays == FollowUpPlanner.leadDays(base: 14, horizonDays: 100, relativeError: 0.5))
        #expect(Self.replan(target: 65_000, readings: [], now: Self.inspected) == nil)
        #expect(Self.replan(target: 65_000, readings: [Self.reading(0, -1)], now: Self.inspected) == nil)
    }

    @Test("the anchor is the latest reading the estimator trusts, not an inspection's typo")
    func anchorSkipsTypos() throws {
        let readings = Self.history + [Self.reading(60, 624_000), Self.reading(100, 64_000)]
        let replan = try #require(Self.replan(target: 68_020, readings: readings, now: Self.inspected))
        #expect(replan.anchor == Self.reading(100, 64_000))
        #expect(replan.dueDate == Self.inspectionDay.adding(days: 200))
    }
}
