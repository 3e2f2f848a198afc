import Foundation
import RevisitModel

/// What `setItem` changes on one checklist item; a nil property is left as it is.
public struct ItemChange: Sendable, Hashable {
    public var status: ItemStatus?
    /// The value measured; the unit defaults to the template item's.
    public var measurement: Measurement?
    public var note: String?
    public var estimatedCost: Money?
    public var remainingKm: Int64?
    /// `YYYY-MM-DD`.
    public var dueDate: String?
    /// Photo files to attach: read, hashed and kept in the store now, uploaded at the next sync, and added to the
    /// item's `photos` (which merge as a union, so no tablet's photo is lost).
    public var photoFiles: [URL]
    public var customerDecision: CustomerDecision?

    public init(
        status: ItemStatus? = nil, measurement: Measurement? = nil, note: String? = nil,
        estimatedCost: Money? = nil, remainingKm: Int64? = nil, dueDate: String? = nil, photoFiles: [URL] = [],
        customerDecision: CustomerDecision? = nil
    ) {
        self.status = status
        self.measurement = measurement
        self.note = note
        self.estimatedCost = estimatedCost
        self.remainingKm = remainingKm
        self.dueDate = dueDate
        self.photoFiles = photoFiles
        self.customerDecision = customerDecision
    }

    /// Whether nothing would change.
    public var isEmpty: Bool {
        status == nil && measurement == nil && note == nil && estimatedCost == nil && remainingKm == nil
            && dueDate == nil && photoFiles.isEmpty && customerDecision == nil
    }
}

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
        plate: String, vin: String? = nil, odometer: Int64? = nil, templateId: String = "standard-car",
        customerName: String? = nil, phone: String? = nil, email: String? = nil, mechanic: String? = nil,
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

/// What `startInspection` did.
public struct StartedInspection: Sendable, Hashable {
    public var id: UUID
    public var vehicleId: UUID
    /// Whether a new vehicle row was written (false when one was found by VIN or plate).
    public var createdVehicle: Bool
    /// Whether a new customer row was written.
    public var createdCustomer: Bool
}

/// The customer's decisions at review, by item code.
public struct ReviewDecisions: Sendable, Hashable {
    public var approve: [String]
    public var deferred: [String]
    public var decline: [String]
    /// Also close the inspection (it must be `completed`); closing makes the server create the follow-ups.
    public var close: Bool

    public init(approve: [String] = [], deferred: [String] = [], decline: [String] = [], close: Bool = false) {
        self.approve = approve
        self.deferred = deferred
        self.decline = decline
        self.close = close
    }
}
