import Foundation
import Testing

@testable import RevisitModel

/// Which odometer readings from the call round join a vehicle's readings, and what a refusal tells the person who
/// typed it (DESIGN section 6, "The call round").
@Suite("Odometer reading rule")
struct OdometerReadingRuleTests {
    static let start = Date(timeIntervalSince1970: 1_735_725_600)  // 2025-01-01T10:00:00Z

    /// A reading `day` days after the start, at 10:00 UTC plus `hours`.
    static func reading(_ day: Double, _ km: Int64, hours: Double = 0) -> OdometerSample {
        OdometerSample(at: start.addingTimeInterval(day * 86_400 + hours * 3600), km: km)
    }

    /// Two inspections, 40 km a day.
    static let history = [reading(0, 40_000), reading(100, 44_000)]
    /// Long after every reading, so no reading of these tests lies in the future.
    static let now = start.addingTimeInterval(1000 * 86_400)

    /// The refusal of `reading`, or nil if the rule accepts it.
    static func refusal(
        _ reading: OdometerSample,
        against existing: [OdometerSample] = history,
        now: Date = now
    ) -> MutationProblem? {
        do {
            try OdometerReadingRule.check(reading, against: existing, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test("normal readings are accepted: the first, one after the others, one between them")
    func normalReadings() {
        #expect(Self.refusal(Self.reading(0, 12_345), against: []) == nil)
        #expect(Self.refusal(Self.reading(130, 45_200)) == nil)
        #expect(Self.refusal(Self.reading(50, 42_000)) == nil)
        // Standing still is driving too: the same value weeks later.
        #expect(Self.refusal(Self.reading(160, 44_000)) == nil)
        // Far more than usual, but no one's impossible: 900 km a day for a month.
        #expect(Self.refusal(Self.reading(130, 44_000 + 27_000)) == nil)
    }

    @Test("a negative value is refused as a validation problem (422)")
    func negative() throws {
        let problem = try #require(Self.refusal(Self.reading(130, -5)))
        #expect(problem.type == "validation")
        #expect(problem.status == 422)
        #expect(problem.detail.contains("-5 km is negative"))
    }

    @Test("a reading more than 5 minutes in the future is refused; clock skew within 5 minutes is not")
    func future() throws {
        let now = Self.start.addingTimeInterval(130 * 86_400)
        let problem = try #require(Self.refusal(Self.reading(130, 45_200, hours: 1), now: now))
        #expect(problem.status == 422)
        #expect(problem.detail.contains("2025-05-11T11:00:00.000Z is in the future"))
        #expect(Self.refusal(OdometerSample(at: now.addingTimeInterval(300), km: 45_200), now: now) == nil)
        #expect(Self.refusal(OdometerSample(at: now.addingTimeInterval(301), km: 45_200), now: now) != nil)
        #expect(Self.refusal(OdometerSample(at: Date(timeIntervalSince1970: -3e9), km: 45_200), now: now) != nil)
    }

    @Test("a value below a reading of an earlier day is refused, naming that reading")
    func belowEarlier() throws {
        let problem = try #require(Self.refusal(Self.reading(130, 43_500)))
        #expect(problem.status == 422)
        #expect(problem.detail.contains("43500 km is below the reading of 44000 km at 2025-04-11T10:00:00.000Z"))
        // A digit too few (45,000 typed as 4,500) is below too.
        #expect(Self.refusal(Self.reading(130, 4_500))?.detail.contains("below the reading of 44000 km") == true)
        // Between the two inspections, below the first.
        #expect(Self.refusal(Self.reading(50, 39_000))?.detail.contains("below the reading of 40000 km") == true)
    }

    @Test("a value above a reading of a later day is refused, naming that reading")
    func aboveLater() throws {
        let problem = try #require(Self.refusal(Self.reading(50, 44_500)))
        #expect(problem.detail.contains("44500 km is above the reading of 44000 km at 2025-04-11T10:00:00.000Z"))
        #expect(problem.detail.contains("taken later"))
    }

    @Test("a typo of a factor 10 is refused: 45,000 typed as 450,000 a month after 44,000")
    func factorTen() throws {
        let problem = try #require(Self.refusal(Self.reading(130, 450_000)))
        #expect(problem.status == 422)
        #expect(
            problem.detail.contains(
                "450000 km is 406000 km more than the reading of 44000 km at 2025-04-11T10:00:00.000Z"
            )
        )
        #expect(problem.detail.contains("30 days earlier"))
        #expect(problem.detail.contains("over 1000 km a day"))
    }

    @Test("a rate over 1,000 km a day to the nearest later reading is refused too")
    func impossibleRateToLater() throws {
        // A reading dated between the inspections whose value leaves too little driving for the time before it...
        let problem = try #require(Self.refusal(Self.reading(99.5, 30_000), against: [Self.reading(100, 44_000)]))
        #expect(problem.detail.contains("14000 km less than the reading of 44000 km"))
        #expect(problem.detail.contains("less than a day later"))
        // ... and one day's worth is always allowed, however close the readings.
        #expect(Self.refusal(Self.reading(99.9, 43_100), against: [Self.reading(101, 44_000)]) == nil)
    }

    @Test("a reading on a day that has one is fine when equal or within a day's driving of it")
    func sameDay() {
        #expect(Self.refusal(Self.reading(100, 44_000, hours: 4)) == nil)
        #expect(Self.refusal(Self.reading(100, 44_800, hours: 4)) == nil)
        // The dashboard read again in the morning, a little lower: one reading a day to the estimator, so fine.
        #expect(Self.refusal(Self.reading(100, 43_990, hours: -2)) == nil)
        let problem = Self.refusal(Self.reading(100, 45_500, hours: 4))
        #expect(problem?.detail.contains("differs by 1500 km from the reading of 44000 km") == true)
    }

    @Test("an inspection's typo that the estimator ignores does not block a correct reading")
    func ignoresKnownTypos() {
        let withSpike = [Self.reading(0, 40_000), Self.reading(100, 440_000), Self.reading(200, 48_000)]
        #expect(KmPerDayEstimator.trusted(withSpike).map(\.km) == [40_000, 48_000])
        #expect(Self.refusal(Self.reading(230, 49_200), against: withSpike) == nil)
        #expect(Self.refusal(Self.reading(150, 44_000), against: withSpike) == nil)
    }

    @Test("after a replaced instrument cluster, readings count on from the new one")
    func replacedCluster() {
        let replaced = [
            Self.reading(0, 100_000), Self.reading(100, 104_000), Self.reading(200, 50), Self.reading(300, 4050),
        ]
        #expect(Self.refusal(Self.reading(330, 5_250), against: replaced) == nil)
        #expect(Self.refusal(Self.reading(330, 105_000), against: replaced) != nil)
    }

    @Test("true readings of simulated vehicles are accepted; a digit too many or too few is refused")
    func randomHistories() {
        var rng = SplitMix64(seed: 0x0D0_0E7E)
        for _ in 0..<500 {
            let rate = Double.random(in: 5...150, using: &rng)
            var day = 0.0
            var km = Double.random(in: 40_000...150_000, using: &rng)
            var readings: [OdometerSample] = []
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                readings.append(Self.reading(day, Int64(km)))
                let gap = Double.random(in: 1...300, using: &rng)
                day += gap
                km += rate * gap * Double.random(in: 0.5...1.5, using: &rng)
            }
            let now = Self.start.addingTimeInterval(day * 86_400)
            let truth = Self.reading(day, Int64(km))
            #expect(Self.refusal(truth, against: readings.shuffled(using: &rng), now: now) == nil)
            #expect(Self.refusal(Self.reading(day, truth.km * 10), against: readings, now: now) != nil)
            #expect(Self.refusal(Self.reading(day, truth.km / 10), against: readings, now: now) != nil)
        }
    }
}
