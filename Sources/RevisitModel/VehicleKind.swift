/// Whose a vehicle is (DESIGN section 3); only `customer` vehicles get follow-ups.
public enum VehicleKind: String, CaseIterable, Sendable, Codable {
    /// A customer's car: the default.
    case customer
    /// The workshop's own car (courtesy car, van).
    case `internal`
    /// A new car at its pre-delivery inspection.
    case pdi
}
