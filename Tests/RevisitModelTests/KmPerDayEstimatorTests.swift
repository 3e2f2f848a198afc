import Foundation
import Testing

@testable import RevisitModel

/// Kilometres per day from odometer readings, and the edge cases of readings typed in by people.
@Suite("Km per day estimation")
struct KmPerDayEstimatorTests {
    static let start = Date(timeIntervalSince1970: 1_735_725_600)  // 2025-01-01T10:00:00Z

    /// A reading `day` days after the start, at 10:00 UTC plus `hours`.
    static func reading(_ day: Double, _ km: Int64, hours: Double = 0) -> OdometerSample {
        OdometerSample(at: start.addingTimeInterval(day * 86_400 + hours * 3600), km: km)
    }

    @Test("no readings, one reading, or two readings 10 days apart give no estimate")
    func tooLittle() {
        #expect(KmPerDayEstimator.estimate([]) == nil)
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 10_000)]) == nil)
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 10_000), Self.reading(10, 10_400)]) == nil)
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 10_000), Self.reading(29, 11_160)]) == nil)
        #expect(
            KmPerDayEstimator.estimate([Self.reading(0, 10_000), Self.reading(10, 10_400)], minimumSpanDays: 7) != nil
        )
    }

    @Test("two readings 30 days apart give their slope")
    func twoReadings() throws {
        let estimate = try #require(KmPerDayEstimator.estimate([Self.reading(30, 11_200), Self.reading(0, 10_000)]))
        #expect(abs(estimate.kmPerDay - 40) < 1e-9)
        #expect(estimate.samples == 2)
        #expect(abs(estimate.spanDays - 30) < 1e-9)
        #expect(estimate.relativeError > 0 && estimate.relativeError < 0.2)
    }

    @Test("clean readings fit exactly; a longer span is more certain")
    func cleanReadings() throws {
        let short = try #require(
            KmPerDayEstimator.estimate((0...3).map { Self.reading(Double($0) * 30, 5000 + Int64($0) * 1500) })
        )
        let long = try #require(
            KmPerDayEstimator.estimate((0...3).map { Self.reading(Double($0) * 240, 5000 + Int64($0) * 12_000) })
        )
        #expect(abs(short.kmPerDay - 50) < 1e-9)
        #expect(abs(long.kmPerDay - 50) < 1e-9)
        #expect(long.relativeError < short.relativeError)
        #expect(long.relativeError >= KmPerDayEstimator.driftFloor)
    }

    @Test("noisy readings give a larger relative error than clean ones")
    func noisyReadings() throws {
        let days: [Double] = [0, 90, 180, 270, 360, 450]
        let clean = try #require(KmPerDayEstimator.estimate(days.map { Self.reading($0, 20_000 + Int64($0 * 40)) }))
        let noise: [Int64] = [0, 900, -700, 600, -900, 300]
        let noisy = try #require(
            KmPerDayEstimator.estimate(zip(days, noise).map { Self.reading($0, 20_000 + Int64($0 * 40) + $1) })
        )
        #expect(abs(noisy.kmPerDay - 40) < 3)
        #expect(noisy.relativeError > clean.relativeError)
    }

    @Test("readings on the same day count once")
    func duplicateDays() throws {
        let estimate = try #require(
            KmPerDayEstimator.estimate([
                Self.reading(0, 10_000), Self.reading(0, 10_000, hours: 5), Self.reading(0, 10_000, hours: 6),
                Self.reading(60, 12_400), Self.reading(60, 12_400, hours: 2),
            ])
        )
        #expect(abs(estimate.kmPerDay - 40) < 0.1)
        #expect(estimate.samples == 2)
        // Two readings of one day alone are no estimate.
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 10_000), Self.reading(0, 10_050, hours: 8)]) == nil)
    }

    @Test("an odometer that goes back (replaced cluster) keeps both runs, each with its own offset")
    func replacedCluster() throws {
        let estimate = try #require(
            KmPerDayEstimator.estimate([
                Self.reading(0, 100_000), Self.reading(100, 104_000), Self.reading(200, 108_000),
                Self.reading(300, 50), Self.reading(400, 4050), Self.reading(500, 8050),
            ])
        )
        #expect(abs(estimate.kmPerDay - 40) < 1e-9)
        #expect(estimate.samples == 6)
        #expect(abs(estimate.spanDays - 400) < 1e-9)
    }

    @Test("a replacement just before the last reading leaves the earlier run")
    func replacedAtTheEnd() throws {
        let estimate = try #require(
            KmPerDayEstimator.estimate([Self.reading(0, 60_000), Self.reading(100, 63_000), Self.reading(200, 10)])
        )
        #expect(abs(estimate.kmPerDay - 30) < 1e-9)
        #expect(estimate.samples == 2)
    }

    @Test("a typo (a spike or a dip) is dropped")
    func typos() throws {
        let spike = try #require(
            KmPerDayEstimator.estimate([
                Self.reading(0, 40_000), Self.reading(100, 44_000), Self.reading(200, 480_000),
                Self.reading(300, 52_000),
                Self.reading(400, 56_000),
            ])
        )
        #expect(abs(spike.kmPerDay - 40) < 1e-9)
        #expect(spike.samples == 4)
        let dip = try #require(
            KmPerDayEstimator.estimate([
                Self.reading(0, 40_000), Self.reading(100, 44_000), Self.reading(200, 4_800), Self.reading(300, 52_000),
            ])
        )
        #expect(abs(dip.kmPerDay - 40) < 1e-9)
        // A spike that is plausible on the way up but not on the way down.
        let oneSided = try #require(
            KmPerDayEstimator.estimate([
                Self.reading(0, 40_000), Self.reading(100, 44_000), Self.reading(200, 90_000),
                Self.reading(300, 52_000),
                Self.reading(400, 56_000),
            ])
        )
        #expect(abs(oneSided.kmPerDay - 40) < 1e-9)
    }

    @Test("absurd values (over 1,000 km a day) never set the rate")
    func absurdValues() {
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 0), Self.reading(40, 100_000)]) == nil)
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 10_000), Self.reading(31, 999_999_999)]) == nil)
        #expect(KmPerDayEstimator.estimate([Self.reading(0, -5), Self.reading(40, 2_000)]) == nil)
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 1_000), Self.reading(40, 40_000)])?.kmPerDay ?? 0 <= 1000)
    }

    @Test("a car that stood still, or an odometer that only goes back, gives no estimate")
    func noPositiveSlope() {
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 10_000), Self.reading(100, 10_000)]) == nil)
        #expect(KmPerDayEstimator.estimate([Self.reading(0, 20_000), Self.reading(100, 18_000)]) == nil)
        #expect(
            KmPerDayEstimator.estimate([Self.reading(0, 30_000), Self.reading(100, 20_000), Self.reading(200, 10_000)])
                == nil
        )
    }

    @Test("the order readings arrive in does not matter")
    func orderIndependent() {
        let readings = (0..<6).map { Self.reading(Double($0) * 70, 1000 + Int64($0 * $0) * 700) }
        var rng = SplitMix64(seed: 42)
        #expect(KmPerDayEstimator.estimate(readings) == KmPerDayEstimator.estimate(readings.shuffled(using: &rng)))
    }
}
