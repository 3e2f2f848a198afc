import Testing

@testable import RevisitModel

/// Convergence (DESIGN section 5): every arrival order of the same writes gives the same values and the same
/// conflicting fields.
@Suite("Merge convergence")
struct MergePropertyTests {
    /// One client's write to one of the two rows.
    struct Write {
        var entity: EntityKind
        var clientId: String
        var hlc: HLC
        var fields: [String: JSONValue]
    }

    static let photoPool = (0..<6).map { String(repeating: String($0), count: 64) }
    static let clientIds = ["0193a5b2-aaaa", "0193a5b2-AAAA", "tablet-é", "tablet-e\u{301}", "z", "a"]

    static func randomValue(entity: EntityKind, field: String, using rng: inout SplitMix64) -> JSONValue {
        switch (entity, field) {
        case (.item, "status"):
            return .string(ItemStatus.allCases.randomElement(using: &rng)!.rawValue)
        case (.item, "photos"):
            return .array(photoPool.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }.map(JSONValue.string))
        case (.item, "note"):
            return ([.string(""), "worn", "check again", .null] as [JSONValue]).randomElement(using: &rng)!
        case (.item, "remainingKm"):
            let km = Int64.random(in: 0...3, using: &rng) * 1000
            return Bool.random(using: &rng) ? .int(km) : .double(Double(km))
        case (.item, "measurement"):
            return ["value": .double(Double(Int.random(in: 10...60, using: &rng)) / 10), "unit": "mm"]
        case (.item, _):
            return .string(CustomerDecision.allCases.randomElement(using: &rng)!.rawValue)
        case (_, "state"):
            return .string([InspectionState.draft, .inProgress, .completed].randomElement(using: &rng)!.rawValue)
        case (_, "odometer"):
            return .int(Int64.random(in: 0...5, using: &rng) * 10_000)
        default:
            return (["Jo", "Sam", .null] as [JSONValue]).randomElement(using: &rng)!
        }
    }

    static let fieldsOf: [EntityKind: [String]] = [
        .item: ["status", "photos", "note", "remainingKm", "measurement", "customerDecision"],
        .inspection: ["state", "odometer", "mechanic"],
    ]

    static func randomFields(_ entity: EntityKind, count: Int, using rng: inout SplitMix64) -> [String: JSONValue] {
        let names = fieldsOf[entity]!.shuffled(using: &rng).prefix(count)
        return Dictionary(uniqueKeysWithValues: names.map { ($0, randomValue(entity: entity, field: $0, using: &rng)) })
    }

    /// Replays `writes` in `order` over the base rows; returns each row's values and open conflict fields, as a
    /// store would track them from the outcomes.
    static func replay(
        _ order: [Write],
        base: [EntityKind: MergeState],
        baseVersion: Int64
    ) -> [EntityKind: (values: [String: JSONValue], conflicts: Set<String>)] {
        var states = base
        var conflicts: [EntityKind: Set<String>] = [.item: [], .inspection: []]
        var version = baseVersion
        for write in order {
            version += 1
            let outcome = Merge.apply(
                fields: write.fields,
                clientId: write.clientId,
                hlc: write.hlc,
                baseVersion: baseVersion,
                version: version,
                entity: write.entity,
                to: states[write.entity]!
            )
            states[write.entity] = outcome.state
            conflicts[write.entity]!.formUnion(outcome.conflicts.map(\.field))
            conflicts[write.entity]!.subtract(outcome.endedConflictFields)
        }
        var result: [EntityKind: (values: [String: JSONValue], conflicts: Set<String>)] = [:]
        for entity in [EntityKind.item, .inspection] {
            result[entity] = (Merge.values(of: states[entity]!, entity: entity), conflicts[entity]!)
        }
        return result
    }

    @Test("1,000 random cases converge over 7 interleavings each (5 random)")
    func convergence() {
        var rng = SplitMix64(seed: 0x5EED_2026)
        for caseNumber in 0..<1000 {
            let baseVersion = Int64.random(in: 1...1000, using: &rng)
            var base: [EntityKind: MergeState] = [:]
            for entity in [EntityKind.item, .inspection] {
                let fields = Self.randomFields(entity, count: Self.fieldsOf[entity]!.count, using: &rng)
                base[entity] =
                    Merge.apply(
                        fields: fields,
                        clientId: "base",
                        hlc: HLC(wall: 1000, counter: 0),
                        baseVersion: 0,
                        version: baseVersion,
                        entity: entity,
                        to: MergeState()
                    ).state
            }

            let clients = Array(Self.clientIds.shuffled(using: &rng).prefix(3))
            var queues: [[Write]] = []
            for clientId in clients {
                var clock = HybridLogicalClock()
                var physical = Int64.random(in: 1000...1100, using: &rng)
                queues.append(
                    (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                        physical += Int64.random(in: -5...20, using: &rng)
                        let entity: EntityKind = Bool.random(using: &rng) ? .item : .inspection
                        let count = Int.random(in: 1...3, using: &rng)
                        return Write(
                            entity: entity,
                            clientId: clientId,
                            hlc: clock.tick(physicalMillis: physical),
                            fields: Self.randomFields(entity, count: count, using: &rng)
                        )
                    }
                )
            }

            var orders = [queues.flatMap { $0 }, queues.reversed().flatMap { $0 }]
            while orders.count < 7 {
                var remaining = queues
                var order: [Write] = []
                while let index = remaining.indices.filter({ !remaining[$0].isEmpty }).randomElement(using: &rng) {
                    order.append(remaining[index].removeFirst())
                }
                orders.append(order)
            }

            let expected = Self.expectedValues(queues: queues, base: base)
            let results = orders.map { Self.replay($0, base: base, baseVersion: baseVersion) }
            for result in results {
                for entity in [EntityKind.item, .inspection] {
                    guard result[entity]!.values == results[0][entity]!.values,
                        result[entity]!.conflicts == results[0][entity]!.conflicts
                    else {
                        let detail = "\(result[entity]!.values) vs \(results[0][entity]!.values)"
                        Issue.record("case \(caseNumber): \(entity) diverged: \(detail)")
                        return
                    }
                    #expect(result[entity]!.values == expected[entity]!.values, "case \(caseNumber)")
                    #expect(result[entity]!.conflicts == expected[entity]!.conflicts, "case \(caseNumber)")
                }
            }
        }
    }

    /// The model answer: per field, each client's last write stays open (the base write only if no client wrote
    /// the field), and the rule decides over those.
    static func expectedValues(
        queues: [[Write]],
        base: [EntityKind: MergeState]
    ) -> [EntityKind: (values: [String: JSONValue], conflicts: Set<String>)] {
        var result: [EntityKind: (values: [String: JSONValue], conflicts: Set<String>)] = [:]
        for entity in [EntityKind.item, .inspection] {
            var open = base[entity]!.fields
            var touched: Set<String> = []
            for queue in queues {
                var last: [String: Write] = [:]
                for write in queue where write.entity == entity {
                    for field in write.fields.keys { last[field] = write }
                }
                for (field, write) in last {
                    if touched.insert(field).inserted { open[field] = [] }
                    open[field]!.append(
                        OpenWrite(value: write.fields[field]!, clientId: write.clientId, hlc: write.hlc, version: 0)
                    )
                }
            }
            var values: [String: JSONValue] = [:]
            var conflicts: Set<String> = []
            for (field, writes) in open {
                values[field] = Merge.value(of: writes, rule: Merge.rule(for: entity, field: field))
                let distinct = writes.reduce(into: [JSONValue]()) { seen, write in
                    if !seen.contains(where: { $0.sameValue(as: write.value) }) { seen.append(write.value) }
                }
                if distinct.count >= 2 && touched.contains(field) { conflicts.insert(field) }
            }
            result[entity] = (values, conflicts)
        }
        return result
    }
}
