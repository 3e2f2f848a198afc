/// The customer's decisions at review, by item code.
public struct ReviewDecisions: Sendable, Hashable {
    public var approve: [String]
    public var deferred: [String]
    public var decline: [String]
    /// Also close the inspection (it must be `completed`); closing makes the server create the follow-ups.
    public var close: Bool

    public init(approve: [String] = [], deferred: [String] = [], decline: [String] = [], close: Bool = false) {
        self.approve = approve
        self.deferred = deferred
        self.decline = decline
        self.close = close
    }
}
