import Testing

@testable import RevisitModel

/// The outcome state machine of DESIGN section 6, for every pair of outcome and state.
@Suite("Follow-up outcomes")
struct FollowUpTransitionTests {
    typealias Result = FollowUpTransition.Result

    /// What each outcome does to each open state, given a reason and an admin token.
    static let open: [FollowUpState: [FollowUpOutcomeKind: Result?]] = [
        .scheduled: [
            .contacted: .changed(.contacted), .booked: .changed(.booked), .done: .changed(.done),
            .declined: .changed(.declined), .lost: .changed(.lost), .cancelled: .changed(.cancelled),
        ],
        .released: [
            .contacted: .changed(.contacted), .booked: .changed(.booked), .done: .changed(.done),
            .declined: .changed(.declined), .lost: .changed(.lost), .cancelled: .changed(.cancelled),
        ],
        .contacted: [
            .contacted: .unchanged, .booked: .changed(.booked), .done: .changed(.done),
            .declined: .changed(.declined), .lost: .changed(.lost), .cancelled: .changed(.cancelled),
        ],
        .booked: [
            .contacted: nil, .booked: .updated, .done: .changed(.done),
            .declined: .changed(.declined), .lost: .changed(.lost), .cancelled: .changed(.cancelled),
        ],
    ]

    @Test("open follow-ups take later outcomes, repeat harmlessly, and refuse earlier ones (409)")
    func openStates() throws {
        for (state, outcomes) in Self.open {
            #expect(state.isOpen)
            #expect(outcomes.count == FollowUpOutcomeKind.allCases.count)
            for (outcome, expected) in outcomes {
                if let expected {
                    let result = try FollowUpTransition.apply(outcome, to: state, reason: .price, isAdmin: true)
                    #expect(result == expected, "\(outcome) on \(state)")
                } else {
                    let problem = #expect(throws: MutationProblem.self) {
                        try FollowUpTransition.apply(outcome, to: state, reason: .price, isAdmin: true)
                    }
                    #expect(problem?.type == "invalid-transition", "\(outcome) on \(state)")
                    #expect(problem?.status == 409)
                }
            }
        }
    }

    @Test("the open states are exactly those of the table")
    func openStatesCovered() {
        #expect(Set(FollowUpState.allCases.filter(\.isOpen)) == Set(Self.open.keys))
    }

    @Test(
        "on a final follow-up the outcome it has repeats harmlessly (200); any other is 409 followup-final",
        arguments: [FollowUpState.done, .declined, .lost, .cancelled, .fulfilled, .superseded]
    )
    func finalStates(state: FollowUpState) throws {
        #expect(state.isFinal && !state.isOpen)
        for outcome in FollowUpOutcomeKind.allCases {
            if outcome.state == state {
                #expect(try FollowUpTransition.apply(outcome, to: state, reason: .other, isAdmin: true) == .unchanged)
                continue
            }
            let problem = #expect(throws: MutationProblem.self) {
                try FollowUpTransition.apply(outcome, to: state, reason: .other, isAdmin: true)
            }
            #expect(problem?.type == "followup-final", "\(outcome) on \(state)")
            #expect(problem?.status == 409)
        }
    }

    @Test("declined and lost need a reason (422)", arguments: [FollowUpOutcomeKind.declined, .lost])
    func reasonRequired(outcome: FollowUpOutcomeKind) throws {
        for state in FollowUpState.allCases where state.isOpen {
            let problem = #expect(throws: MutationProblem.self) {
                try FollowUpTransition.apply(outcome, to: state, reason: nil, isAdmin: false)
            }
            #expect(problem?.type == "validation")
            #expect(problem?.status == 422)
            #expect(problem?.detail.contains("reason") == true)
            for reason in FollowUpReason.allCases {
                #expect(
                    try FollowUpTransition.apply(outcome, to: state, reason: reason, isAdmin: false)
                        == .changed(outcome.state)
                )
            }
        }
    }

    @Test("other outcomes need no reason")
    func noReasonNeeded() throws {
        #expect(
            try FollowUpTransition.apply(.contacted, to: .released, reason: nil, isAdmin: false) == .changed(.contacted)
        )
        #expect(try FollowUpTransition.apply(.booked, to: .released, reason: nil, isAdmin: false) == .changed(.booked))
        #expect(try FollowUpTransition.apply(.done, to: .booked, reason: nil, isAdmin: false) == .changed(.done))
        #expect(
            try FollowUpTransition.apply(.cancelled, to: .booked, reason: nil, isAdmin: true) == .changed(.cancelled)
        )
    }

    @Test("only an admin may cancel (403)")
    func cancelIsAdminOnly() throws {
        for state in FollowUpState.allCases {
            let problem = #expect(throws: MutationProblem.self) {
                try FollowUpTransition.apply(.cancelled, to: state, reason: nil, isAdmin: false)
            }
            #expect(problem?.type == "forbidden")
            #expect(problem?.status == 403)
        }
        #expect(
            try FollowUpTransition.apply(.cancelled, to: .scheduled, reason: nil, isAdmin: true) == .changed(.cancelled)
        )
    }

    @Test("states, reasons and outcomes spell as the contract does")
    func spelling() {
        #expect(
            FollowUpState.allCases.map(\.rawValue) == [
                "scheduled", "released", "contacted", "booked", "done", "declined", "lost", "cancelled", "fulfilled",
                "superseded",
            ]
        )
        #expect(
            FollowUpReason.allCases.map(\.rawValue) == [
                "price", "competitor", "no_contact", "vehicle_sold", "not_needed", "other",
            ]
        )
        #expect(
            FollowUpOutcomeKind.allCases.map(\.rawValue) == [
                "contacted", "booked", "declined", "lost", "done", "cancelled",
            ]
        )
        #expect(FollowUpOutcomeKind.allCases.allSatisfy { $0.state.rawValue == $0.rawValue })
        #expect(
            MutationProblem.followupFinal("x")
                == MutationProblem(type: "followup-final", title: "Follow-up is final", status: 409, detail: "x")
        )
    }
}
