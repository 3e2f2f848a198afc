import Foundation
import Testing

@testable import RevisitModel

/// Properties of re-planning over random vehicles, settings and readings (seeded, so a failure is reproducible).
@Suite("Follow-up re-planning properties")
struct FollowUpReplannerPropertyTests {
    static let start = Date(timeIntervalSince1970: 1_767_261_600)  // 2026-01-01T10:00:00Z
    static let zones = ["UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]

    /// A vehicle's readings: steady driving around `rate` with gaps of 20 to 300 days, the last on `lastDay`.
    struct History {
        var rate: Double
        var readings: [OdometerSample]
        var lastDay: Double
        var lastKm: Int64
    }

    static func history(using rng: inout SplitMix64, messy: Bool) -> History {
        let rate = Double.random(in: 10...120, using: &rng)
        var day = Double.random(in: 0...100, using: &rng)
        var km = Double.random(in: 40_000...200_000, using: &rng)
        var readings: [OdometerSample] = []
        for index in 0..<Int.random(in: 1...6, using: &rng) {
            if index > 0 {
                let gap = Double.random(in: 20...300, using: &rng)
                day += gap
                km += rate * gap * Double.random(in: 0.6...1.4, using: &rng)
            }
            let at = start.addingTimeInterval(day * 86_400 + Double.random(in: 0..<36_000, using: &rng))
            readings.append(OdometerSample(at: at, km: Int64(km)))
            // What tablets send too: the same visit read twice, and the odd typo the estimator drops.
            if messy, Int.random(in: 0..<4, using: &rng) == 0 {
                readings.append(OdometerSample(at: at.addingTimeInterval(1800), km: Int64(km) + 3))
            }
            if messy, index > 0, Int.random(in: 0..<5, using: &rng) == 0 {
                readings.append(OdometerSample(at: at.addingTimeInterval(-5 * 86_400), km: Int64(km) * 10))
            }
        }
        return History(rate: rate, readings: readings, lastDay: day, lastKm: Int64(km))
    }

    static func settings(using rng: inout SplitMix64) -> TenantSettings {
        var settings = TenantSettings()
        settings.timeZone = zones.randomElement(using: &rng)!
        settings.leadTimeDays = Int.random(in: 0...30, using: &rng)
        settings.kmPerDay = Double.random(in: 20...60, using: &rng)
        settings.releaseMode = ReleaseMode.allCases.randomElement(using: &rng)!
        settings.releaseDay = Int.random(in: 1...28, using: &rng)
        return settings
    }

    @Test(
        "the readings' order does not change the re-plan; it is due no earlier than the anchor's day and released no earlier than now"
    )
    func orderAndBounds() throws {
        var rng = SplitMix64(seed: 0xBEEF_CA11)
        for _ in 0..<400 {
            let vehicle = Self.history(using: &rng, messy: true)
            let settings = Self.settings(using: &rng)
            let target = vehicle.lastKm + Int64.random(in: -2_000...20_000, using: &rng)
            let now = vehicle.readings.map(\.at).max()!.addingTimeInterval(
                Double.random(in: 0...(3 * 86_400), using: &rng)
            )
            let releasedAt =
                Bool.random(using: &rng)
                ? now.addingTimeInterval(-Double.random(in: 0...90, using: &rng) * 86_400) : nil
            let replan = try #require(
                FollowUpReplanner.replan(
                    targetKm: target,
                    readings: vehicle.readings,
                    settings: settings,
                    now: now,
                    releasedAt: releasedAt
                )
            )
            for _ in 0..<3 {
                let shuffled = FollowUpReplanner.replan(
                    targetKm: target,
                    readings: vehicle.readings.shuffled(using: &rng),
                    settings: settings,
                    now: now,
                    releasedAt: releasedAt
                )
                #expect(shuffled == replan)
            }
            #expect(replan.dueDate >= CalendarDate(replan.anchor.at, in: settings.zone))
            #expect(replan.releaseAt >= now)
            #expect(!replan.backToScheduled || releasedAt != nil)
            #expect(vehicle.readings.contains(replan.anchor))
            #expect(replan.anchor.km <= vehicle.lastKm + 3, "a typo is never the anchor")
        }
    }

    /// A plausible misreading (a customer rounding to the nearest thousand, ±500 km) that the rule accepts moves the
    /// due date through two channels only, so by at most |δ|/r·(1 + H/g) + 1 days: the anchor moves by δ, which is
    /// |δ|/r days of driving at the re-planned rate r; and the weighted slope moves by at most |δ|/g, g being the days
    /// since the previous reading (Cauchy–Schwarz on the weighted sums: a reading can tilt the line no more than the
    /// chord to its predecessor), which over the H days still to drive is H·|δ|/(g·r) days; the 1 is the rounding
    /// down of the horizon. A typo of a factor 10 never gets this far: the rule refuses it.
    @Test("a plausible noisy reading moves the due date by a bounded amount; a factor-10 typo is refused")
    func noisyReadings() throws {
        var rng = SplitMix64(seed: 0x0015_E0DD)
        var accepted = 0
        for _ in 0..<400 {
            let vehicle = Self.history(using: &rng, messy: false)
            var settings = Self.settings(using: &rng)
            settings.releaseMode = .continuous
            let gap = Double.random(in: 20...300, using: &rng)
            let at = Self.start.addingTimeInterval((vehicle.lastDay + gap) * 86_400 + 43_200)
            let exactKm = vehicle.lastKm + Int64(vehicle.rate * gap * Double.random(in: 0.5...1.5, using: &rng))
            let exact = OdometerSample(at: at, km: exactKm)
            let noise = Int64.random(in: -500...500, using: &rng)
            let noisy = OdometerSample(at: at, km: exactKm + noise)
            let target = vehicle.lastKm + Int64.random(in: 1_000...30_000, using: &rng)

            #expect(throws: MutationProblem.self) {
                try OdometerReadingRule.check(
                    OdometerSample(at: at, km: exactKm * 10),
                    against: vehicle.readings,
                    now: at
                )
            }
            try OdometerReadingRule.check(exact, against: vehicle.readings, now: at)
            guard (try? OdometerReadingRule.check(noisy, against: vehicle.readings, now: at)) != nil else { continue }
            accepted += 1

            func replan(_ reading: OdometerSample) throws -> FollowUpReplan {
                try #require(
                    FollowUpReplanner.replan(
                        targetKm: target,
                        readings: vehicle.readings + [reading],
                        settings: settings,
                        now: at,
                        releasedAt: nil
                    )
                )
            }
            let fromExact = try replan(exact)
            let fromNoisy = try replan(noisy)
            let exactRate = fromExact.estimate?.kmPerDay ?? settings.kmPerDay
            let noisyRate = fromNoisy.estimate?.kmPerDay ?? settings.kmPerDay
            let horizon = Double(max(0, target - exactKm)) / exactRate
            let bound = Double(abs(noise)) / noisyRate * (1 + horizon / gap) + 1
            let moved = abs(fromNoisy.dueDate.daysSinceEpoch - fromExact.dueDate.daysSinceEpoch)
            #expect(Double(moved) <= bound, "moved \(moved) days for \(noise) km, bound \(bound)")
            // A higher reading never makes the work due later.
            if noise > 0 { #expect(fromNoisy.dueDate <= fromExact.dueDate) }
        }
        #expect(accepted > 300)
    }
}
