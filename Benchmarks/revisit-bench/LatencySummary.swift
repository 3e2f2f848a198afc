/// Percentiles of request wall times, in milliseconds.
struct LatencySummary: Codable, Sendable {
    let count: Int
    let p50: Double
    let p90: Double
    let p99: Double
    let max: Double
    let mean: Double

    init(seconds samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        p50 = Self.percentile(0.50, sorted) * 1000
        p90 = Self.percentile(0.90, sorted) * 1000
        p99 = Self.percentile(0.99, sorted) * 1000
        max = (sorted.last ?? 0) * 1000
        mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count) * 1000
    }

    /// Nearest-rank percentile of sorted samples.
    private static func percentile(_ fraction: Double, _ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
}
