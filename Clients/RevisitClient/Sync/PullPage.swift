import RevisitModel

/// One page of a pull, mapped from the generated types at the boundary.
struct PullPage: Sendable {
    var changes: [PulledChange]
    var cursor: String
    var hasMore: Bool
    var hlc: HLC
}
