/// The kinds of syncable rows (DESIGN section 4); the raw value is the `entity` of a mutation or change.
public enum EntityKind: String, CaseIterable, Sendable, Codable {
    case customer
    case vehicle
    case inspection
    case item
}
