import RevisitModel

/// What a new inspection needs: the vehicle is found locally by VIN or plate, or created (with the VIN-derived id
/// when the VIN is known, so two tablets that meet one car offline write one row).
public struct NewInspection: Sendable, Hashable {
    public var plate: String
    public var vin: String?
    public var odometer: Int64?
    public var templateId: String
    public var customerName: String?
    public var phone: String?
    public var email: String?
    /// Who does the inspection; the store's default mechanic when nil.
    public var mechanic: String?
    /// `in_progress` (the default) or `draft`.
    public var state: InspectionState

    public init(
        plate: String,
        vin: String? = nil,
        odometer: Int64? = nil,
        templateId: String = "standard-car",
        customerName: String? = nil,
        phone: String? = nil,
        email: String? = nil,
        mechanic: String? = nil,
        state: InspectionState = .inProgress
    ) {
        self.plate = plate
        self.vin = vin
        self.odometer = odometer
        self.templateId = templateId
        self.customerName = customerName
        self.phone = phone
        self.email = email
        self.mechanic = mechanic
        self.state = state
    }
}
