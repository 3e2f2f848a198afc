import Foundation

/// Estimates how far a vehicle is driven per day from its odometer readings (DESIGN section 6), for due dates
/// given in remaining kilometres.
///
/// The estimate is a least-squares slope, not first-to-last: every reading counts, a single misread one moves it
/// less, and the residuals say how steady the driving is, which feeds ``KmPerDayEstimate/relativeError``.
///
/// **Recent readings weigh more**: each reading has the weight 0.5^((t_last − t) / ``recentHalfLifeDays``), so a
/// lasting change of habits (a new job, a second car, a retirement) takes over the estimate within a year or two
/// instead of being outvoted by the car's whole past. The half-life is a year because that is the season's period:
/// a shorter one would let last summer outweigh last winter and chase the season, which the uncertainty model
/// below treats as noise around the long-run rate; a longer one would react to a changed rate too slowly for the
/// call round, whose fresh reading should count more than one taken three years ago. Two readings (or one per
/// run) fit exactly whatever their weights, so the weighting changes only estimates from three or more.
///
/// Readings come from people typing numbers into tablets, so they are cleaned first:
/// 1. Readings with a negative odometer are dropped; the rest are sorted by time.
/// 2. **Duplicate days**: readings on the same UTC day (two inspections of one visit) become one, with the lower
///    median of their kilometres (an extra digit is the commoner typo) at their mean time.
/// 3. A step between two readings is *plausible* when the odometer does not go back and grows by at most
///    ``maximumKmPerDay`` (1,000 km) a day (at least one day's worth, however close the readings).
/// 4. **Typos**: a reading whose step in or out is implausible while the step over it is plausible is dropped as
///    a typo, first those with both steps implausible (a spike or a dip), then those with one, until none is left.
///    So an **absurd value** (45,000 typed as 450,000) disappears instead of setting the rate.
/// 5. **Odometer going backwards** (a replaced instrument cluster, or a run of bad readings) that is not a single
///    typo splits the readings into runs. The runs share one slope, each with its own offset (least squares with
///    a per-run intercept), so the readings before a replacement still count and the jump across it does not.
///    Runs of one reading carry no slope and are ignored.
///
/// There is an estimate only when some run has two readings at least `minimumSpanDays` apart: a shorter look
/// mostly measures one holiday or one busy week. A **zero or negative slope** (a car that stood still, the only
/// way a fitted slope can fail to be positive once every run goes forward) gives nil too: it says nothing about
/// when the car will have covered the remaining kilometres, so the planner falls back to the tenant default and
/// treats it as very uncertain.
///
/// **Uncertainty.** ``KmPerDayEstimate/relativeError`` combines, as independent errors (root sum of squares):
/// - how much the weeks of the measured span can differ from the vehicle's long-run rate:
///   ``weeklyVariability`` × √(7 / span days), from modelling each week's driving as ±20% around the long-run rate
///   (1-sigma 11.5%) independently of other weeks, so a longer look averages more weeks;
/// - how much of a seasonal swing of ±``seasonalAmplitude`` (10%) the span leaves in the estimate: its rms
///   (amplitude / √2) times |sin x / x| with x = π·span / 365, all of it for a month, none for a whole year;
/// - the statistical error of the slope when there are more readings than parameters: the weighted least-squares
///   standard error, √(weighted residual variance / Σw(t − t̄)²), relative to the slope; noisy or irregular
///   readings raise it, clean ones leave it at zero;
/// - a floor of ``driftFloor`` (2%) for habits that change (a new job, a second car) that no history shows.
///
/// The same driving model (±20% weekly, ±10% seasonal, up to ±30% in all) gives ``FollowUpPlanner`` the spread
/// of the driving still to come; `FollowUpReleaseSimulationTests` checks the two together.
public enum KmPerDayEstimator {
    /// More than this per day is no one's driving: such a step is a typo or a replaced odometer.
    public static let maximumKmPerDay: Double = 1000
    /// The 1-sigma relative deviation of one week's driving from a vehicle's long-run rate, apart from the season
    /// (±20% uniform).
    public static let weeklyVariability: Double = 0.115
    /// The amplitude of the seasonal swing of a vehicle's driving around its long-run rate (±10%).
    public static let seasonalAmplitude: Double = 0.10
    /// The smallest relative error of any estimate: the future may differ from the whole past.
    public static let driftFloor: Double = 0.02
    /// The age at which a reading counts half as much as the latest one (see the type's description for why a year).
    public static let recentHalfLifeDays: Double = 365

    /// The vehicle's kilometres per day, or nil unless at least two usable readings lie at least
    /// `minimumSpanDays` apart in one run and the fitted rate is positive.
    public static func estimate(_ samples: [OdometerSample], minimumSpanDays: Double = 30) -> KmPerDayEstimate? {
        let runs = splitIntoRuns(trusted(samples)).filter { $0.count >= 2 }
        guard runs.contains(where: { span($0) >= minimumSpanDays }) else { return nil }

        let latest = runs.map { $0.last?.day ?? 0 }.max() ?? 0
        let weight = { (reading: Reading) in pow(0.5, (latest - reading.day) / recentHalfLifeDays) }
        var sxx = 0.0
        var sxy = 0.0
        for run in runs {
            let (meanT, meanK) = weightedMeans(run, weight)
            for reading in run {
                sxx += weight(reading) * (reading.day - meanT) * (reading.day - meanT)
                sxy += weight(reading) * (reading.day - meanT) * (reading.km - meanK)
            }
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        guard slope > 0, slope <= maximumKmPerDay else { return nil }

        // The weighted least-squares standard error: weights scale residuals and Σw(t − t̄)² alike, so it does not
        // depend on what the latest reading's weight is.
        var residualSquares = 0.0
        for run in runs {
            let (meanT, meanK) = weightedMeans(run, weight)
            for reading in run {
                let residual = (reading.km - meanK) - slope * (reading.day - meanT)
                residualSquares += weight(reading) * residual * residual
            }
        }
        let count = runs.reduce(0) { $0 + $1.count }
        let degreesOfFreedom = count - runs.count - 1
        let statistical =
            degreesOfFreedom > 0 ? (residualSquares / Double(degreesOfFreedom) / sxx).squareRoot() / slope : 0
        let spanDays = runs.reduce(0) { $0 + span($1) }
        let driving = weeklyVariability * (7 / spanDays).squareRoot()
        let season = seasonalBias(spanDays: spanDays)
        let relativeError = (driving * driving + season * season + statistical * statistical + driftFloor * driftFloor)
            .squareRoot()
        return KmPerDayEstimate(kmPerDay: slope, spanDays: spanDays, samples: count, relativeError: relativeError)
    }

    /// A reading in days since the first one, for well-conditioned sums.
    struct Reading: Equatable {
        var day: Double
        var km: Double
        /// The reading it stands for (of a day's several, the one with the lower median km, the earliest such),
        /// so rules built on the cleaned readings can name or count from a reading someone really took.
        var sample: OdometerSample
    }

    /// The readings the estimate trusts, sorted, one per UTC day, without typos (steps 1 to 4 of the type's
    /// description): what ``OdometerReadingRule`` checks a new reading against and ``FollowUpReplanner`` counts
    /// from, so neither trusts a reading the rate ignores.
    static func trusted(_ samples: [OdometerSample]) -> [Reading] {
        withoutTypos(mergedByDay(samples))
    }

    /// Sorted readings, one per UTC day (lower median km, mean time), without negative odometers.
    static func mergedByDay(_ samples: [OdometerSample]) -> [Reading] {
        let valid = samples.filter { $0.km >= 0 && $0.at.timeIntervalSince1970.isFinite }
            .sorted { ($0.at, $0.km) < ($1.at, $1.km) }
        guard let origin = valid.first?.at.timeIntervalSince1970 else { return [] }
        var groups: [[OdometerSample]] = []
        for sample in valid {
            if let last = groups.last?.last, utcDay(last.at) == utcDay(sample.at) {
                groups[groups.count - 1].append(sample)
            } else {
                groups.append([sample])
            }
        }
        return groups.map { group in
            let km = group.map(\.km).sorted()[(group.count - 1) / 2]
            let meanTime = group.reduce(0) { $0 + $1.at.timeIntervalSince1970 - origin } / Double(group.count)
            // The group is sorted by time, so this is the earliest reading with the median km.
            let sample = group.first { $0.km == km } ?? group[0]
            return Reading(day: meanTime / 86_400, km: Double(km), sample: sample)
        }
    }

    /// The readings less those that look like typos (steps 3 and 4 of the type's description).
    static func withoutTypos(_ readings: [Reading]) -> [Reading] {
        var readings = readings
        while readings.count >= 3 {
            let interior = 1..<(readings.count - 1)
            let candidates = interior.filter { index in
                isPlausible(readings[index - 1], readings[index + 1])
                    && !(isPlausible(readings[index - 1], readings[index])
                        && isPlausible(readings[index], readings[index + 1]))
            }
            let bothSides = candidates.first { index in
                !isPlausible(readings[index - 1], readings[index]) && !isPlausible(readings[index], readings[index + 1])
            }
            guard let index = bothSides ?? candidates.first else { break }
            readings.remove(at: index)
        }
        return readings
    }

    /// The readings cut into runs wherever a step is implausible (an odometer replaced or gone wrong).
    static func splitIntoRuns(_ readings: [Reading]) -> [[Reading]] {
        var runs: [[Reading]] = []
        for reading in readings {
            if let last = runs.last?.last, isPlausible(last, reading) {
                runs[runs.count - 1].append(reading)
            } else {
                runs.append([reading])
            }
        }
        return runs
    }

    /// Whether going from `earlier` to `later` is driving someone could have done.
    static func isPlausible(_ earlier: Reading, _ later: Reading) -> Bool {
        isPlausible(distance: later.km - earlier.km, days: later.day - earlier.day)
    }

    /// Whether someone could have driven `distance` km in `days` days: forward, and at most ``maximumKmPerDay``
    /// a day, with at least one day's worth allowed however close the readings (a long drive between two readings
    /// an hour apart in the morning and evening is still one day's driving).
    static func isPlausible(distance: Double, days: Double) -> Bool {
        distance >= 0 && distance <= maximumKmPerDay * max(days, 1)
    }

    /// The 1-sigma relative error a seasonal swing leaves in a rate measured over `spanDays`: the swing's rms
    /// (amplitude / √2) times how little a window of that length averages it out (|sin x / x|, x = π·span/365),
    /// which is the whole swing for a month and nothing for a year.
    static func seasonalBias(spanDays: Double) -> Double {
        let x = Double.pi * spanDays / 365
        return seasonalAmplitude / 2.0.squareRoot() * abs(x > 0 ? sin(x) / x : 1)
    }

    private static func span(_ run: [Reading]) -> Double {
        (run.last?.day ?? 0) - (run.first?.day ?? 0)
    }

    private static func weightedMeans(_ run: [Reading], _ weight: (Reading) -> Double) -> (day: Double, km: Double) {
        let total = run.reduce(0) { $0 + weight($1) }
        return (run.reduce(0) { $0 + weight($1) * $1.day } / total, run.reduce(0) { $0 + weight($1) * $1.km } / total)
    }

    /// The UTC day of `date`: readings on one such day count as one.
    static func utcDay(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }
}
