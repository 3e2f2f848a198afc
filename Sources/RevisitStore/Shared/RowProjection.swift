import RevisitModel

/// The indexed columns a row is found by: its parent (an item's inspection, an inspection's vehicle, a vehicle's
/// customer), an inspection's state, a vehicle's plate and VIN.
struct RowProjection {
    var parentId: String?
    var state: String?
    var plate: String?
    var vin: String?

    init(_ row: StoredRow) {
        guard !row.deleted else { return }
        switch row.entity {
        case .item: parentId = row.fields["inspectionId"]?.stringValue
        case .inspection:
            parentId = row.fields["vehicleId"]?.stringValue
            state = row.fields["state"]?.stringValue
        case .vehicle:
            parentId = row.fields["customerId"]?.stringValue
            plate = row.fields["plate"]?.stringValue.map(PlateKey.normalise)
            vin = row.fields["vin"]?.stringValue
        case .customer: break
        }
    }
}
