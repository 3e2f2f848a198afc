import Foundation

/// Decides whether a reading from outside an inspection may join a vehicle's readings (DESIGN section 6, "The call
/// round": an outcome's `odometer`, or `POST /v1/vehicles/{id}/odometer-readings`).
///
/// A reading the estimator would silently drop as a typo is refused instead: it came from a person on the phone who
/// can still read the dashboard again, and a stored typo would otherwise become the anchor every re-planned due date
/// counts from. So the rule is the estimator's notion of a plausible step (``KmPerDayEstimator/maximumKmPerDay``,
/// at least one day's worth), applied to the new reading's nearest neighbours in time:
/// - never negative, and not dated more than ``allowedClockSkew`` after `now` (a phone's clock may run a little
///   fast; a reading from tomorrow is a wrong date);
/// - not below the nearest reading of an earlier day, nor above the nearest one of a later day: an odometer never
///   goes back;
/// - no faster than the maximum rate from either of them, so 45,000 typed as 450,000 a month after 44,000 is
///   refused;
/// - on a day that already has a reading, within a day's driving of it: the estimator counts one reading a day,
///   and two people reading one dashboard on the same day differ by a drive at most.
///
/// The neighbours are the readings the estimator trusts (``KmPerDayEstimator/trusted(_:)``): an inspection's typo
/// that the estimator already ignores does not block a correct reading. Comparing with the nearest readings only,
/// not all, keeps a replaced instrument cluster workable: readings of the old cluster lie before the new ones and
/// are higher, and only the latest run is the car's odometer now. Every refusal names the reading it conflicts with,
/// so the person can tell which of the two is wrong.
public enum OdometerReadingRule {
    /// How far in the future a reading's `readAt` may lie: clocks of phones and CRMs drift by seconds to minutes.
    public static let allowedClockSkew: TimeInterval = 300
    /// 1900-01-01T00:00:00Z: an earlier `readAt` is a wrong date, not an old reading.
    private static let earliest = Date(timeIntervalSince1970: -2_208_988_800)

    /// Throws ``MutationProblem/validation(_:)`` (422) when `reading` cannot be right given the vehicle's
    /// `existing` readings (inspections' and the CRM's) at `now`.
    public static func check(
        _ reading: OdometerSample,
        against existing: [OdometerSample],
        now: Date
    ) throws(MutationProblem) {
        let value = reading.km
        guard value >= 0 else {
            throw .validation("odometer value \(value) km is negative: give the kilometres the dashboard shows")
        }
        guard reading.at.timeIntervalSince1970.isFinite, reading.at >= earliest else {
            throw .validation("odometer readAt \(stamp(reading.at)) is before 1900: give the time it was read")
        }
        guard reading.at.timeIntervalSince(now) <= allowedClockSkew else {
            throw .validation(
                "odometer readAt \(stamp(reading.at)) is in the future (now is \(stamp(now))): give the time it was read"
            )
        }

        let trusted = KmPerDayEstimator.trusted(existing).map(\.sample)
        let day = KmPerDayEstimator.utcDay(reading.at)
        if let sameDay = trusted.first(where: { KmPerDayEstimator.utcDay($0.at) == day }) {
            let difference = abs(value - sameDay.km)
            guard Double(difference) <= KmPerDayEstimator.maximumKmPerDay else {
                throw .validation(
                    "odometer value \(value) km differs by \(difference) km from \(describe(sameDay)), the same day: "
                        + "more than a day's driving, so check the value"
                )
            }
        }
        if let earlier = trusted.last(where: { KmPerDayEstimator.utcDay($0.at) < day }) {
            guard value >= earlier.km else {
                throw .validation(
                    "odometer value \(value) km is below \(describe(earlier)), taken earlier: an odometer does not go "
                        + "back, so check the value and the date it was read"
                )
            }
            if let problem = implausibleRate(from: earlier, to: reading, newer: true) { throw problem }
        }
        if let later = trusted.first(where: { KmPerDayEstimator.utcDay($0.at) > day }) {
            guard value <= later.km else {
                throw .validation(
                    "odometer value \(value) km is above \(describe(later)), taken later: an odometer does not go "
                        + "back, so check the value and the date it was read"
                )
            }
            if let problem = implausibleRate(from: reading, to: later, newer: false) { throw problem }
        }
    }

    /// The refusal when going from `earlier` to `later` takes more than the maximum rate (at least one day's worth),
    /// worded from the new reading's side (`newer`: the new one is `later`).
    private static func implausibleRate(
        from earlier: OdometerSample,
        to later: OdometerSample,
        newer: Bool
    ) -> MutationProblem? {
        let distance = later.km - earlier.km
        let days = later.at.timeIntervalSince(earlier.at) / 86_400
        guard !KmPerDayEstimator.isPlausible(distance: Double(distance), days: days) else { return nil }
        let (new, old) = newer ? (later, earlier) : (earlier, later)
        let apart = days >= 1 ? "\(Int(days.rounded())) days" : "less than a day"
        return .validation(
            "odometer value \(new.km) km is \(distance) km \(newer ? "more" : "less") than \(describe(old)), "
                + "\(apart) \(newer ? "earlier" : "later"): over \(Int(KmPerDayEstimator.maximumKmPerDay)) km a "
                + "day, so probably a typo (a digit too many or too few)"
        )
    }

    /// "the reading of 44000 km at 2026-03-01T10:00:00.000Z", as a person finds it in the vehicle's history.
    private static func describe(_ sample: OdometerSample) -> String {
        "the reading of \(sample.km) km at \(stamp(sample.at))"
    }

    /// The time as the API writes it; off the calendar (only a hand-made `Date` can be) as seconds since 1970.
    private static func stamp(_ date: Date) -> String {
        abs(date.timeIntervalSince1970) < 250_000_000_000
            ? RFC3339DateTime.string(from: date) : "\(date.timeIntervalSince1970) s after 1970"
    }
}
