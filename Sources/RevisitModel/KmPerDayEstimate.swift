/// How far a vehicle is driven per day, estimated from its odometer readings by ``KmPerDayEstimator``, with how
/// sure the estimate is, so the planner can widen the lead of a follow-up whose due date rests on a weak estimate.
public struct KmPerDayEstimate: Sendable, Hashable {
    /// The estimated long-run kilometres per day.
    public var kmPerDay: Double
    /// The days the estimate is measured over: first to last usable reading (summed per run of readings when an
    /// odometer was replaced, since the gap across a replacement tells nothing).
    public var spanDays: Double
    /// How many readings the estimate uses (after merging same-day readings and dropping typos).
    public var samples: Int
    /// The 1-sigma relative uncertainty of ``kmPerDay`` as an estimate of the vehicle's long-run rate:
    /// 0.05 means the true rate is within ±5% about two times in three. How it is found: see
    /// ``KmPerDayEstimator``.
    public var relativeError: Double

    public init(kmPerDay: Double, spanDays: Double, samples: Int, relativeError: Double) {
        self.kmPerDay = kmPerDay
        self.spanDays = spanDays
        self.samples = samples
        self.relativeError = relativeError
    }
}
