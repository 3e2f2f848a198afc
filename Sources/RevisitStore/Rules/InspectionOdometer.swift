import Foundation
import RevisitModel

/// The odometer reading an inspection contributes to its vehicle's km/day estimate (DESIGN section 6): its
/// `odometer` at its `inspectedAt`, unless it was cancelled or lacks either.
enum InspectionOdometer {
    static func reading(_ fields: [String: JSONValue]) -> OdometerSample? {
        guard fields["state"]?.stringValue != InspectionState.cancelled.rawValue,
            let km = fields["odometer"]?.intValue,
            let at = fields["inspectedAt"]?.stringValue.flatMap(RFC3339DateTime.date(from:))
        else { return nil }
        return OdometerSample(at: at, km: km)
    }
}
