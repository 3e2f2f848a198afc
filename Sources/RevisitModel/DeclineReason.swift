/// Why a customer declined an item on the review page (DESIGN section 13): the reasons a workshop can act on.
public enum DeclineReason: String, CaseIterable, Sendable, Codable {
    case price
    case competitor
    case notNeeded = "not_needed"
    case other
}
