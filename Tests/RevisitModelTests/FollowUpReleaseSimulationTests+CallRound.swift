import Foundation
import Testing

@testable import RevisitModel

/// The call round (DESIGN section 6) in the same simulation: does the reading a dealer asks for on the phone bring
/// the release moment closer to the day the work really falls due?
///
/// A fleet of 1,000 vehicles drives with the planner's model (±10% seasonal swing, ±20% week to week) and, for a
/// quarter of them, one life event: a lasting change of the long-run rate by ×0.5 to ×1.8 on a day between the
/// first reading and two years after the close, which no history can foresee. Each follow-up is planned at the close
/// as today. Then the dealer's call round: on the 25th of each month, the dealer phones the customers of the
/// follow-ups estimated due the next month and writes down the odometer (the true one, to the kilometre), and the
/// replanner decides. A follow-up still scheduled takes its new release; one already released goes back to
/// scheduled if the replanner recalls it and counts by its final release, else it stays with the CRM and counts by
/// its first release. A re-planned follow-up whose new due month is later is on a later month's list again.
extension FollowUpReleaseSimulationTests {
    struct CallRoundShares {
        var withoutReadings = Shares()
        var withReadings = Shares()
        /// With readings, only the follow-ups whose first call came before they fell due: those the re-plan could act
        /// on in time. The others were due before the dealer's list reached them.
        var calledInTime = Shares()
        /// With readings, when the first call comes on the 25th of the month before the month the work really falls
        /// due (the issue's wording, which only a simulation can follow: it knows the true day).
        var calledBeforeTrueDueMonth = Shares()
        var calls = 0
        var recalled = 0
        var refused = 0

        mutating func add(_ other: CallRoundShares) {
            withoutReadings.add(other.withoutReadings)
            withReadings.add(other.withReadings)
            calledInTime.add(other.calledInTime)
            calledBeforeTrueDueMonth.add(other.calledBeforeTrueDueMonth)
            calls += other.calls
            recalled += other.recalled
            refused += other.refused
        }
    }

    static func simulateCallRound(seed: UInt64, vehicles: Int, lifeEventProbability: Double) -> CallRoundShares {
        var rng = SplitMix64(seed: seed)
        var shares = CallRoundShares()
        for _ in 0..<vehicles {
            guard
                let followUp = drawFollowUp(
                    using: &rng,
                    seasonal: 0.1,
                    weekly: 0.2,
                    horizon: 3400,
                    lifeEventProbability: lifeEventProbability
                )
            else { continue }
            let trueDue = origin.adding(days: followUp.dueDay)
            shares.withoutReadings.record(release: followUp.plan.releaseAt, trueDue: trueDue)
            let (release, firstCall) = finalRelease(of: followUp, shares: &shares)
            shares.withReadings.record(release: release, trueDue: trueDue)
            var uncounted = CallRoundShares()
            let (byTrueMonth, _) = finalRelease(of: followUp, shares: &uncounted, firstListBy: trueDue)
            shares.calledBeforeTrueDueMonth.record(release: byTrueMonth, trueDue: trueDue)
            if let firstCall, firstCall < followUp.dueDay {
                shares.calledInTime.record(release: release, trueDue: trueDue)
            }
        }
        return shares
    }

    /// The release that counts for `followUp` once the call round has phoned it as often as its estimated due month
    /// put it on a list, with the day of its first call, if any. With `firstListBy`, the first list is the one of
    /// that due date's month instead of the estimate's.
    static func finalRelease(
        of followUp: SimulatedFollowUp,
        shares: inout CallRoundShares,
        firstListBy: CalendarDate? = nil
    ) -> (release: Date, firstCall: Int?) {
        let settings = TenantSettings()
        var readings = followUp.samples
        var (due, release) = (followUp.plan.dueDate, followUp.plan.releaseAt)
        var lastCall = followUp.inspectionDay
        var firstCall: Int?
        while true {
            let listed = firstCall == nil ? (firstListBy ?? due) : due
            let (year, month) = listed.month == 1 ? (listed.year - 1, 12) : (listed.year, listed.month - 1)
            let callDay = CalendarDate(year: year, month: month, day: 25)!.daysSinceEpoch - origin.daysSinceEpoch
            guard callDay > lastCall, callDay < followUp.odometer.count else { return (release, firstCall) }
            let reading = followUp.reading(onDay: callDay)
            shares.calls += 1
            firstCall = firstCall ?? callDay
            do {
                try OdometerReadingRule.check(reading, against: readings, now: reading.at)
            } catch {
                shares.refused += 1
                return (release, firstCall)
            }
            readings.append(reading)
            let released = release <= reading.at
            guard
                let replan = FollowUpReplanner.replan(
                    targetKm: followUp.targetKm,
                    readings: readings,
                    settings: settings,
                    now: reading.at,
                    releasedAt: released ? release : nil
                )
            else { return (release, firstCall) }
            if released {
                guard replan.backToScheduled else { return (release, firstCall) }
                shares.recalled += 1
            }
            (due, release, lastCall) = (replan.dueDate, replan.releaseAt, callDay)
        }
    }

    /// The issue's measure is a phone reading on the 25th of the month before each follow-up is due; the simulation
    /// knows the true due day, so the first call follows it and later calls follow the re-planned month. That row
    /// must reach 99% before due and 90% at most 30 days early, over four fleets of 1,000.
    ///
    /// A real dealer only knows the estimate, so the test also prints the round as a dealer runs it (the list of
    /// the *estimated* month) and holds what it can: readings never make the share before due worse, 90% at most 30
    /// days early, and 99% before due among the follow-ups the round reached before they fell due. Below that, about
    /// 5% are due before their first call (a car that reaches its kilometres weeks before the estimate, mostly after
    /// a life event), and no rule that runs on the call can release those earlier: the lead time does.
    @Test(
        "with a reading on the 25th of the month before due, 99% reach the CRM before due and 90% at most 30 days early"
    )
    func callRound() {
        var shares = CallRoundShares()
        for seed: UInt64 in [0xCA11_2047, 1, 2, 3] {
            shares.add(Self.simulateCallRound(seed: seed, vehicles: 1000, lifeEventProbability: 0.25))
        }
        func row(_ name: String, _ shares: Shares) -> String {
            let before = String(format: "%.1f%%", shares.beforeDueShare * 100)
            let early = String(format: "%.1f%%", shares.atMost30EarlyShare * 100)
            return "| \(name) | \(shares.count) | \(before) | \(early) |"
        }
        print(
            """
            | call round (4 fleets of 1,000) | follow-ups | before due | at most 30 days early |
            | --- | --- | --- | --- |
            \(row("without readings", shares.withoutReadings))
            \(row("reading on the 25th of the month before due", shares.calledBeforeTrueDueMonth))
            \(row("dealer's list (estimated month)", shares.withReadings))
            \(row("dealer's list, called before due", shares.calledInTime))

            dealer's list: \(shares.calls) calls, \(shares.recalled) released follow-ups recalled, \(shares.refused) readings refused
            """
        )
        let byTrueMonth = shares.calledBeforeTrueDueMonth
        #expect(byTrueMonth.count > 3_800)
        #expect(byTrueMonth.beforeDueShare >= 0.99, "before due: \(byTrueMonth)")
        #expect(byTrueMonth.atMost30EarlyShare >= 0.90, "at most 30 days early: \(byTrueMonth)")
        #expect(shares.refused == 0, "the rule refused a true reading")
        #expect(shares.withReadings.beforeDue >= shares.withoutReadings.beforeDue)
        #expect(shares.calledInTime.beforeDueShare >= 0.99, "called in time, before due: \(shares.calledInTime)")
        #expect(
            shares.withReadings.atMost30EarlyShare >= 0.90,
            "at most 30 days early: \(shares.withReadings.atMost30EarlyShare)"
        )
    }
}
