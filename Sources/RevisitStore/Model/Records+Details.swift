import Foundation
import RevisitModel

extension InspectionDetail {
    /// Items in the order of their codes, as every backend answers them.
    init(inspection: RowRecord, unorderedItems items: [RowRecord]) {
        self.init(
            inspection: inspection,
            items: items.sorted { ($0.fields["code"]?.stringValue ?? "") < ($1.fields["code"]?.stringValue ?? "") }
        )
    }
}

extension VehicleDetail {
    /// Inspections oldest first, and the odometer readings (of the inspections not cancelled, and those the CRM
    /// reported) oldest first.
    init(vehicle: RowRecord, unorderedInspections inspections: [RowRecord], reported: [OdometerReading]) {
        let ordered = inspections.sorted {
            ($0.fields["inspectedAt"]?.stringValue ?? "") < ($1.fields["inspectedAt"]?.stringValue ?? "")
        }
        let taken = ordered.compactMap { inspection -> OdometerReading? in
            InspectionOdometer.reading(inspection.fields).map {
                OdometerReading(odometer: $0.km, at: $0.at, source: .inspection, inspectionId: inspection.id)
            }
        }
        let readings = (taken + reported).sorted { ($0.at, $0.odometer) < ($1.at, $1.odometer) }
        self.init(vehicle: vehicle, inspections: ordered, odometerReadings: readings)
    }
}

extension StoredRow {
    /// A purged tombstone: still a deleted row, so that a late edit is told the row was deleted.
    static func purged(_ entity: EntityKind, id: String, now: Date) -> StoredRow {
        StoredRow(
            entity: entity,
            id: id,
            version: 0,
            deleted: true,
            fields: [:],
            merge: MergeState(),
            createdAt: now,
            updatedAt: now
        )
    }
}

extension AttemptOutcome.Verdict {
    /// The delivery's state after an attempt with this verdict, and when it is tried next.
    var deliveryState: (state: DeliveryState, next: Date?) {
        switch self {
        case .succeeded: (.succeeded, nil)
        case .retry(let when): (.pending, when)
        case .failed, .disableEndpoint: (.failed, nil)
        }
    }
}
