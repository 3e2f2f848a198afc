import Testing

@testable import RevisitModel

/// Which items of a closed inspection become follow-ups (DESIGN section 6), as a table.
@Suite("Follow-up selection")
struct FollowUpSelectionTests {
    typealias Kind = FollowUpSelection.Kind

    static let table: [(ItemStatus, CustomerDecision?, Kind?)] = [
        (.later, nil, .deferred),
        (.later, .deferred, .deferred),
        (.later, .declined, .deferred),
        (.later, .approved, nil),
        (.now, nil, .safetyCritical),
        (.now, .deferred, .safetyCritical),
        (.now, .declined, .safetyCritical),
        (.now, .approved, nil),
        (.ok, nil, nil),
        (.ok, .deferred, nil),
        (.ok, .approved, nil),
        (.na, nil, nil),
        (.na, .declined, nil),
        (.unchecked, nil, nil),
        (.unchecked, .deferred, nil),
    ]

    @Test("customer vehicles: later unless approved, now (safety) unless approved, nothing else")
    func customerVehicles() {
        for (status, decision, expected) in Self.table {
            #expect(
                FollowUpSelection.select(status: status, decision: decision, vehicleKind: .customer) == expected,
                "\(status) with \(decision.map(\.rawValue) ?? "no decision")"
            )
        }
    }

    @Test("vehicles that are not a customer's get no follow-ups", arguments: [VehicleKind.internal, .pdi])
    func otherVehicles(kind: VehicleKind) {
        for status in ItemStatus.allCases {
            for decision in [nil] + CustomerDecision.allCases.map(Optional.some) {
                #expect(FollowUpSelection.select(status: status, decision: decision, vehicleKind: kind) == nil)
            }
        }
    }

    @Test("every status and decision is covered by the table")
    func tableIsComplete() {
        let covered = Set(Self.table.map { "\($0.0)/\($0.1.map(\.rawValue) ?? "-")" })
        for status in [ItemStatus.later, .now] {
            for decision in [nil] + CustomerDecision.allCases.map(Optional.some) {
                #expect(covered.contains("\(status)/\(decision.map(\.rawValue) ?? "-")"))
            }
        }
    }
}
