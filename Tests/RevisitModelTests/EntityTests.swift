import Testing

@testable import RevisitModel

@Suite("Entities")
struct EntityTests {
    @Test("inspection lifecycle transitions follow DESIGN section 3")
    func transitions() {
        let allowed: Set<[InspectionState]> = [
            [.draft, .inProgress], [.inProgress, .completed], [.completed, .inProgress], [.completed, .closed],
            [.draft, .cancelled], [.inProgress, .cancelled], [.completed, .cancelled],
        ]
        for from in InspectionState.allCases {
            for to in InspectionState.allCases {
                let expected = from == to || allowed.contains([from, to])
                #expect(from.canTransition(to: to) == expected, "\(from) → \(to)")
            }
        }
        #expect(!InspectionState.draft.canTransition(to: .completed))
        #expect(!InspectionState.closed.canTransition(to: .cancelled))
    }

    @Test("final states, ranks and initial states")
    func stateProperties() {
        #expect(InspectionState.allCases.filter(\.isFinal) == [.closed, .cancelled])
        #expect(InspectionState.allCases.map(\.lifecycleRank) == [0, 1, 2, 3, 4])
        #expect(InspectionState.initialStates == [.draft, .inProgress])
        #expect(InspectionState.inProgress.rawValue == "in_progress")
    }

    @Test("item status severity: unchecked < na < ok < later < now")
    func severity() {
        let ordered = ItemStatus.allCases.sorted { $0.severity < $1.severity }
        #expect(ordered == [.unchecked, .na, .ok, .later, .now])
    }

    @Test("raw values match the wire format")
    func rawValues() {
        #expect(EntityKind.allCases.map(\.rawValue) == ["customer", "vehicle", "inspection", "item"])
        #expect(VehicleKind.allCases.map(\.rawValue) == ["customer", "internal", "pdi"])
        #expect(CustomerDecision.allCases.map(\.rawValue) == ["approved", "deferred", "declined"])
    }

    @Test("problems carry their slug and status")
    func problems() {
        let cases: [(MutationProblem, String, Int)] = [
            (.validation("d"), "validation", 422), (.unknownEntity("d"), "unknown-entity", 422),
            (.referenceMissing("d"), "reference-missing", 422), (.itemIdMismatch("d"), "item-id-mismatch", 422),
            (.attachmentMissing("d"), "attachment-missing", 422), (.entityDeleted("d"), "entity-deleted", 409),
            (.inspectionFinal("d"), "inspection-final", 409), (.referenceExists("d"), "reference-exists", 409),
            (.invalidTransition("d"), "invalid-transition", 409),
        ]
        for (problem, type, status) in cases {
            #expect(problem.type == type)
            #expect(problem.status == status)
            #expect(problem.detail == "d")
            #expect(!problem.title.isEmpty)
        }
    }
}
