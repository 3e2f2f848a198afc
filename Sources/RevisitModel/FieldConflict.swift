/// A field whose open writes hold two or more different values: the store records it as a conflict (DESIGN
/// section 5) and returns it in the push result of the write that made it.
public struct FieldConflict: Sendable, Hashable {
    /// The field's name.
    public var field: String
    /// The rule that decided ``winner``.
    public var rule: MergeRule
    /// The field's value under the rule.
    public var winner: JSONValue
    /// The open writes, in ``OpenWrite/stamp`` order.
    public var writes: [OpenWrite]

    public init(field: String, rule: MergeRule, winner: JSONValue, writes: [OpenWrite]) {
        self.field = field
        self.rule = rule
        self.winner = winner
        self.writes = writes
    }
}
