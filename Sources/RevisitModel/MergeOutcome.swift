/// What applying one write to a row gives: the new merge state, the row's values, and the conflicts the write
/// made or ended.
public struct MergeOutcome: Sendable {
    /// The row's merge state after the write.
    public var state: MergeState
    /// The merged value of every field in ``state``: the row's whole current state.
    public var values: [String: JSONValue]
    /// Fields touched by this write that now have two or more open writes with different values, by field name.
    public var conflicts: [FieldConflict]
    /// Fields touched by this write whose open writes now hold at most one distinct value, by field name: any
    /// open conflict on them has ended.
    public var endedConflictFields: [String]

    public init(
        state: MergeState,
        values: [String: JSONValue],
        conflicts: [FieldConflict],
        endedConflictFields: [String]
    ) {
        self.state = state
        self.values = values
        self.conflicts = conflicts
        self.endedConflictFields = endedConflictFields
    }
}
