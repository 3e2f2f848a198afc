import Foundation

/// One odometer reading of a vehicle: the `odometer` and `inspectedAt` of one of its inspections, the raw material
/// of ``KmPerDayEstimator``.
public struct OdometerSample: Sendable, Hashable {
    /// When the reading was taken.
    public var at: Date
    /// The odometer, in kilometres.
    public var km: Int64

    public init(at: Date, km: Int64) {
        self.at = at
        self.km = km
    }
}
