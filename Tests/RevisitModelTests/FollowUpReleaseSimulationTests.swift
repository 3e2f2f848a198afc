import Foundation
import Testing

@testable import RevisitModel

/// The aim of DESIGN section 6, checked by simulation: for kilometre-based due dates, a call before the item is
/// due for at least 95% of follow-ups, and no more than 30 days early for at least 80%.
///
/// Each simulated vehicle has a long-run rate between 15 and 90 km a day (log-uniform), and its true daily driving
/// varies by up to ±30% over time: a seasonal swing of ±10% (random phase) plus ±20% from week to week, the model
/// the planner assumes, or ±30% from week to week without a season. It has two to five
/// readings at inspections 60 to 400 days apart (the last one at the inspection that closes); the item has 1,000
/// to 15,000 km left. The follow-up is planned from the estimate with the default settings, and compared with the
/// day the vehicle really covers the remaining kilometres.
@Suite("Follow-up release simulation")
struct FollowUpReleaseSimulationTests {
    static let origin = CalendarDate(year: 2022, month: 1, day: 1)!

    /// A vehicle's true driving, day by day.
    struct SimulatedVehicle {
        var meanRate: Double
        var seasonalAmplitude: Double
        var seasonalPhase: Double
        var weeklyAmplitude: Double
        var weekly: [Double]
        /// Lasting changes of the long-run rate (a new job, a move, a second car): from `day` on it is multiplied
        /// by `factor`. None unless a simulation adds them, so the drawn vehicles stay as they were.
        var lifeEvents: [(day: Int, factor: Double)] = []

        init(using rng: inout SplitMix64, seasonal: Double, weekly weeklyAmplitude: Double, days: Int) {
            meanRate = exp(Double.random(in: log(15.0)...log(90.0), using: &rng))
            seasonalAmplitude = seasonal
            seasonalPhase = Double.random(in: 0..<(2 * .pi), using: &rng)
            self.weeklyAmplitude = weeklyAmplitude
            weekly = (0...(days / 7)).map { _ in Double.random(in: -1...1, using: &rng) }
        }

        func rate(onDay day: Int) -> Double {
            let season = seasonalAmplitude * sin(2 * .pi * Double(day) / 365 + seasonalPhase)
            let changed = lifeEvents.reduce(1.0) { $1.day <= day ? $0 * $1.factor : $0 }
            return meanRate * changed * (1 + season + weeklyAmplitude * weekly[day / 7])
        }
    }

    struct Shares {
        var count = 0
        var beforeDue = 0
        var atMost30Early = 0
        var beforeDueShare: Double { Double(beforeDue) / Double(count) }
        var atMost30EarlyShare: Double { Double(atMost30Early) / Double(count) }

        /// Counts one follow-up handed to the CRM at `release` that really fell due on `trueDue`.
        mutating func record(release: Date, trueDue: CalendarDate) {
            let released = CalendarDate(release, in: .gmt)
            count += 1
            if released < trueDue { beforeDue += 1 }
            if trueDue.daysSinceEpoch - released.daysSinceEpoch <= 30 { atMost30Early += 1 }
        }

        mutating func add(_ other: Shares) {
            count += other.count
            beforeDue += other.beforeDue
            atMost30Early += other.atMost30Early
        }
    }

    /// One simulated vehicle with its inspections' readings and a kilometre-based follow-up planned, with the
    /// default settings, at the last of them.
    struct SimulatedFollowUp {
        var vehicle: SimulatedVehicle
        /// The odometer on the first day.
        var start: Double
        /// The kilometres driven by 00:00 UTC of each day since ``origin``.
        var odometer: [Double]
        var readingDays: [Int]
        var samples: [OdometerSample]
        var remainingKm: Int64
        var plan: FollowUpPlan
        /// The day the vehicle really covers the remaining kilometres.
        var dueDay: Int

        var inspectionDay: Int { readingDays.last! }
        /// The odometer the work falls due at, as the store keeps it: the inspection's reading plus `remainingKm`.
        var targetKm: Int64 { samples.last!.km + remainingKm }

        /// A reading of the true odometer on `day`, rounded to whole kilometres, at 10:00 UTC like the inspections.
        func reading(onDay day: Int) -> OdometerSample {
            OdometerSample(
                at: origin.adding(days: day).instant(hour: 10, in: .gmt),
                km: Int64((start + odometer[day]).rounded())
            )
        }
    }

    /// Draws one vehicle and its follow-up, or nil when its readings give no estimate or it is not due within
    /// `horizon` days. With `lifeEventProbability`, a vehicle changes its long-run rate once, by ×0.5 to ×1.8, on
    /// a day between its first reading and two years after the close; without, it draws exactly what it always did.
    static func drawFollowUp(
        using rng: inout SplitMix64,
        seasonal: Double,
        weekly: Double,
        horizon: Int,
        lifeEventProbability: Double = 0
    ) -> SimulatedFollowUp? {
        var vehicle = SimulatedVehicle(using: &rng, seasonal: seasonal, weekly: weekly, days: horizon)
        let start = Double.random(in: 0...50_000, using: &rng)
        var readingDays = [Int.random(in: 0...200, using: &rng)]
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            readingDays.append(readingDays.last! + Int.random(in: 60...400, using: &rng))
        }
        if lifeEventProbability > 0, Double.random(in: 0..<1, using: &rng) < lifeEventProbability {
            let day = Int.random(in: readingDays[0]...(readingDays.last! + 730), using: &rng)
            vehicle.lifeEvents = [(day, Double.random(in: 0.5...1.8, using: &rng))]
        }
        var odometer = [0.0]
        odometer.reserveCapacity(horizon)
        for day in 0..<horizon - 1 { odometer.append(odometer[day] + vehicle.rate(onDay: day)) }

        let samples = readingDays.map { day in
            OdometerSample(
                at: Self.origin.adding(days: day).instant(hour: 10, in: .gmt),
                km: Int64(start + odometer[day])
            )
        }
        guard let estimate = KmPerDayEstimator.estimate(samples) else { return nil }

        let inspectionDay = readingDays.last!
        let remainingKm = Int64.random(in: 1000...15_000, using: &rng)
        let inspectedAt = Self.origin.adding(days: inspectionDay).instant(hour: 10, in: .gmt)
        let plan = FollowUpPlanner.plan(
            FollowUpInput(
                kind: .deferred,
                remainingKm: remainingKm,
                inspectedAt: inspectedAt,
                closedAt: inspectedAt,
                vehicleEstimate: estimate
            ),
            settings: TenantSettings()
        )
        guard
            let dueDay = (inspectionDay..<horizon).first(where: {
                odometer[$0] - odometer[inspectionDay] >= Double(remainingKm)
            })
        else { return nil }
        return SimulatedFollowUp(
            vehicle: vehicle,
            start: start,
            odometer: odometer,
            readingDays: readingDays,
            samples: samples,
            remainingKm: remainingKm,
            plan: plan,
            dueDay: dueDay
        )
    }

    static func simulate(seed: UInt64, vehicles: Int, seasonal: Double, weekly: Double) -> Shares {
        var rng = SplitMix64(seed: seed)
        var shares = Shares()
        for _ in 0..<vehicles {
            guard let followUp = drawFollowUp(using: &rng, seasonal: seasonal, weekly: weekly, horizon: 3400) else {
                continue
            }
            shares.record(release: followUp.plan.releaseAt, trueDue: Self.origin.adding(days: followUp.dueDay))
        }
        return shares
    }

    @Test(
        "kilometre-based follow-ups are called before due for 95% and at most 30 days early for 80%",
        arguments: [(seasonal: 0.1, weekly: 0.2), (seasonal: 0.0, weekly: 0.3)]
    )
    func aims(model: (seasonal: Double, weekly: Double)) {
        let shares = Self.simulate(seed: 0x5EED_F011, vehicles: 4000, seasonal: model.seasonal, weekly: model.weekly)
        #expect(shares.count > 3800)
        #expect(shares.beforeDueShare >= 0.95, "called before due: \(shares.beforeDueShare)")
        #expect(shares.atMost30EarlyShare >= 0.80, "at most 30 days early: \(shares.atMost30EarlyShare)")
    }
}
