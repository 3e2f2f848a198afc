/// Where an inspection is in its life (DESIGN section 3).
///
/// `draft` → `in_progress` → `completed` → `closed`; `completed` may go back to `in_progress`; any state
/// before `closed` may go to `cancelled`; `closed` and `cancelled` are final.
public enum InspectionState: String, CaseIterable, Sendable, Codable {
    case draft
    case inProgress = "in_progress"
    case completed
    case closed
    case cancelled

    /// The states a new inspection may start in.
    public static let initialStates: Set<InspectionState> = [.draft, .inProgress]

    /// Whether no write may change the inspection (or its items) any more: `closed` and `cancelled`.
    public var isFinal: Bool {
        self == .closed || self == .cancelled
    }

    /// How far along the lifecycle the state is; the lifecycle merge rule keeps the highest.
    ///
    /// `draft` 0 < `in_progress` 1 < `completed` 2 < `closed` 3; `cancelled` 4 (it ends every other state).
    public var lifecycleRank: Int {
        switch self {
        case .draft: 0
        case .inProgress: 1
        case .completed: 2
        case .closed: 3
        case .cancelled: 4
        }
    }

    /// Whether an inspection in this state may move to `next`.
    ///
    /// Staying in the same state is allowed (a write that repeats the state changes nothing), including in a
    /// final state; rejecting writes to final inspections is the store's business (`inspection-final`).
    /// `draft` must pass through `in_progress`: it cannot jump to `completed` or `closed`.
    public func canTransition(to next: InspectionState) -> Bool {
        if next == self { return true }
        if isFinal { return false }
        switch (self, next) {
        case (_, .cancelled),
            (.draft, .inProgress),
            (.inProgress, .completed),
            (.completed, .inProgress),
            (.completed, .closed):
            return true
        default:
            return false
        }
    }
}
