import Foundation
import RevisitModel

/// A vehicle as the local store shows it.
public struct Vehicle: Sendable, Hashable {
    /// The vehicle's id (derived from the VIN when it was known at creation).
    public var id: UUID
    /// The server version last pulled; nil while the vehicle exists only locally.
    public var version: Int64?
    /// The number plate.
    public var plate: String?
    /// The VIN, upper-cased.
    public var vin: String?
    /// The maker, e.g. Volkswagen.
    public var make: String?
    /// The model, e.g. Golf.
    public var model: String?
    /// The model year.
    public var year: Int64?
    /// The owner.
    public var customerId: UUID?
    /// `customer` (the default), `internal` or `pdi`; only customer vehicles get follow-ups.
    public var kind: VehicleKind
}
