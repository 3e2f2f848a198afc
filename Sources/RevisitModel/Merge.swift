/// The per-field merge of DESIGN section 5: the same code on the server and on clients, so every arrival order
/// of the same writes gives the same row everywhere.
///
/// A field keeps its open writes, the writes no later write has seen. A new write closes the open writes whose
/// version is at most its `baseVersion` (its writer had seen them) and the earlier writes of its own client,
/// then joins them. The field's value is its ``MergeRule`` over what stays open: a write that has seen
/// everything simply sets the value, and only writes that did not see each other are decided by the rule.
public enum Merge {
    /// The rule of a field: item `status` by severity, inspection `state` by lifecycle, item `photos` by union,
    /// everything else last writer wins.
    public static func rule(for entity: EntityKind, field: String) -> MergeRule {
        switch (entity, field) {
        case (.item, "status"): .severity
        case (.inspection, "state"): .lifecycle
        case (.item, "photos"): .union
        default: .lastWriterWins
        }
    }

    /// The value of a field with these open writes under `rule`; `null` when there are none.
    ///
    /// - `severity`: the most severe ``ItemStatus``; `lifecycle`: the highest ``InspectionState/lifecycleRank``.
    ///   A value that is not a status (or state) ranks below all that are; ties go to the greater stamp.
    /// - `union`: the sorted, de-duplicated strings of all the writes' arrays.
    /// - `last-writer-wins`: the value of the write with the greatest ``HLCStamp``.
    ///
    /// Final states and deletes are not merged: ``WriteAdmission`` refuses the write before it gets here.
    public static func value(of writes: [OpenWrite], rule: MergeRule) -> JSONValue {
        guard !writes.isEmpty else { return .null }
        switch rule {
        case .severity:
            return highest(writes) { $0.stringValue.flatMap(ItemStatus.init(rawValue:))?.severity ?? -1 }
        case .lifecycle:
            return highest(writes) { $0.stringValue.flatMap(InspectionState.init(rawValue:))?.lifecycleRank ?? -1 }
        case .union:
            let strings = Set(writes.flatMap { $0.value.arrayValue ?? [] }.compactMap(\.stringValue))
            return .array(strings.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(JSONValue.string))
        case .lastWriterWins:
            return highest(writes) { _ in 0 }
        }
    }

    /// Applies one write to a row.
    ///
    /// For each written field, closes the open writes with version ≤ `baseVersion` and the earlier writes of
    /// `clientId`, then adds the new write stamped `version`.
    ///
    /// - Parameters:
    ///   - fields: the write's (validated) fields.
    ///   - clientId: the writer.
    ///   - hlc: the write's clock, as stored (clamped if it ran far ahead).
    ///   - baseVersion: the row version the writer last saw (0 for a row it created).
    ///   - version: the row's new version, which stamps this write.
    ///   - entity: the row's kind, which picks the rules.
    ///   - state: the row's merge state before the write.
    public static func apply(
        fields: [String: JSONValue],
        clientId: String,
        hlc: HLC,
        baseVersion: Int64,
        version: Int64,
        entity: EntityKind,
        to state: MergeState
    ) -> MergeOutcome {
        var state = state
        var conflicts: [FieldConflict] = []
        var ended: [String] = []
        let write = { (value: JSONValue) in OpenWrite(value: value, clientId: clientId, hlc: hlc, version: version) }
        for field in fields.keys.sorted() {
            var writes = state.fields[field] ?? []
            writes.removeAll { $0.version <= baseVersion || $0.clientId.utf8.elementsEqual(clientId.utf8) }
            writes.append(write(fields[field]!))
            writes.sort(by: OpenWrite.precedes)
            state.fields[field] = writes

            if distinctValueCount(writes) >= 2 {
                let rule = rule(for: entity, field: field)
                conflicts.append(
                    FieldConflict(field: field, rule: rule, winner: value(of: writes, rule: rule), writes: writes)
                )
            } else {
                ended.append(field)
            }
        }
        return MergeOutcome(
            state: state,
            values: values(of: state, entity: entity),
            conflicts: conflicts,
            endedConflictFields: ended
        )
    }

    /// The current values of a row: each field's rule over its open writes (fields without open writes are left
    /// out).
    public static func values(of state: MergeState, entity: EntityKind) -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for (field, writes) in state.fields where !writes.isEmpty {
            values[field] = value(of: writes, rule: rule(for: entity, field: field))
        }
        return values
    }

    /// The value of the write that ranks highest by `rank`, ties going to the greater stamp.
    private static func highest(_ writes: [OpenWrite], rank: (JSONValue) -> Int) -> JSONValue {
        writes.max { lhs, rhs in
            let (left, right) = (rank(lhs.value), rank(rhs.value))
            return left != right ? left < right : OpenWrite.precedes(lhs, rhs)
        }!.value
    }

    /// How many different values (numbers compared by value) the writes hold.
    private static func distinctValueCount(_ writes: [OpenWrite]) -> Int {
        var distinct: [JSONValue] = []
        for write in writes where !distinct.contains(where: { $0.sameValue(as: write.value) }) {
            distinct.append(write.value)
        }
        return distinct.count
    }
}
