extension MutationProblem {
    /// An outcome for a follow-up that has already ended (`done`, `declined`, `lost`, `cancelled`, `fulfilled`,
    /// `superseded`): 409, so a CRM can tell "already settled" from "you went backwards" (`invalid-transition`).
    public static func followupFinal(_ detail: String) -> MutationProblem {
        MutationProblem(type: "followup-final", title: "Follow-up is final", status: 409, detail: detail)
    }

    /// A step the caller's role may not take, such as an integration token cancelling a follow-up: 403, decided
    /// by the model's rules rather than by the route, because the same endpoint serves both roles.
    public static func forbidden(_ detail: String) -> MutationProblem {
        MutationProblem(type: "forbidden", title: "Forbidden", status: 403, detail: detail)
    }
}
