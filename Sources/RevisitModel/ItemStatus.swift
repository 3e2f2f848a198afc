/// The finding for one checklist item (DESIGN section 3).
public enum ItemStatus: String, CaseIterable, Sendable, Codable {
    /// Not looked at yet (also how a tablet "removes" an item: items are never deleted).
    case unchecked
    /// Fine.
    case ok
    /// Needs attention, but not before the next visit: becomes a follow-up.
    case later
    /// Needs attention now.
    case now
    /// Does not apply to this vehicle.
    case na

    /// How alarming the finding is; the severity merge rule keeps the highest, because between two tablets that
    /// did not see each other's finding, safety comes first.
    ///
    /// `unchecked` 0 < `na` 1 < `ok` 2 < `later` 3 < `now` 4.
    public var severity: Int {
        switch self {
        case .unchecked: 0
        case .na: 1
        case .ok: 2
        case .later: 3
        case .now: 4
        }
    }
}
