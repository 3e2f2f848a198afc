import Foundation

/// What `startInspection` did.
public struct StartedInspection: Sendable, Hashable {
    public var id: UUID
    public var vehicleId: UUID
    /// Whether a new vehicle row was written (false when one was found by VIN or plate).
    public var createdVehicle: Bool
    /// Whether a new customer row was written.
    public var createdCustomer: Bool
}
