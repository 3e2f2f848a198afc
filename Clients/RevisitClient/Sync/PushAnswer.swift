import RevisitModel

/// A push answer, mapped from the generated types at the boundary.
struct PushAnswer: Sendable {
    /// One mutation's outcome.
    struct Result: Sendable {
        enum Status: String, Sendable { case applied, duplicate, rejected }
        var id: Int64
        var status: Status
        var conflicts: [Conflict]
        var error: MutationProblem?
        /// For a duplicate, the first outcome (nil after the server's horizon).
        var original: Status?
    }

    var results: [Result]
    var lastMutationId: Int64
    var hlc: HLC
}

/// What recording a push answer did, for the summary.
struct PushTally: Sendable {
    var applied = 0
    var rejected = 0
    var duplicates = 0
    var conflicts = 0
}
