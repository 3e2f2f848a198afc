import Testing

@testable import RevisitModel

/// A row under test: its merge state and the last version given out.
struct TestRow {
    var entity: EntityKind
    var state = MergeState()
    var version: Int64 = 0

    init(_ entity: EntityKind) {
        self.entity = entity
    }

    /// Applies a write stamped with the next version and returns the outcome.
    @discardableResult
    mutating func write(
        _ fields: [String: JSONValue],
        by clientId: String,
        at wall: Int64,
        counter: Int = 0,
        seen baseVersion: Int64
    ) -> MergeOutcome {
        version += 1
        let outcome = Merge.apply(
            fields: fields,
            clientId: clientId,
            hlc: HLC(wall: wall, counter: counter),
            baseVersion: baseVersion,
            version: version,
            entity: entity,
            to: state
        )
        state = outcome.state
        #expect(Merge.values(of: state, entity: entity) == outcome.values)
        return outcome
    }
}

@Suite("Merge")
struct MergeTests {
    @Test("rules per field")
    func rules() {
        #expect(Merge.rule(for: .item, field: "status") == .severity)
        #expect(Merge.rule(for: .inspection, field: "state") == .lifecycle)
        #expect(Merge.rule(for: .item, field: "photos") == .union)
        #expect(Merge.rule(for: .item, field: "note") == .lastWriterWins)
        #expect(Merge.rule(for: .inspection, field: "status") == .lastWriterWins)
        #expect(Merge.rule(for: .vehicle, field: "plate") == .lastWriterWins)
        #expect(MergeRule.lastWriterWins.rawValue == "last-writer-wins")
        #expect(AdmissionRule.deleteWins.rawValue == "delete-wins")
    }

    func writes(_ values: [JSONValue]) -> [OpenWrite] {
        values.enumerated().map { index, value in
            OpenWrite(
                value: value,
                clientId: "c\(index)",
                hlc: HLC(wall: 100 - Int64(index), counter: 0),
                version: Int64(index + 1)
            )
        }
    }

    @Test("severity keeps the most severe status")
    func severity() {
        #expect(Merge.value(of: writes(["ok", "now", "later"]), rule: .severity) == "now")
        #expect(Merge.value(of: writes(["na", "unchecked"]), rule: .severity) == "na")
        #expect(Merge.value(of: writes(["ok", "na"]), rule: .severity) == "ok")
        #expect(Merge.value(of: [], rule: .severity) == .null)
    }

    @Test("lifecycle keeps the furthest state")
    func lifecycle() {
        #expect(Merge.value(of: writes(["completed", "draft", "in_progress"]), rule: .lifecycle) == "completed")
        #expect(Merge.value(of: writes(["draft", "in_progress"]), rule: .lifecycle) == "in_progress")
        #expect(Merge.value(of: writes(["closed", "completed"]), rule: .lifecycle) == "closed")
    }

    @Test("union keeps every photo once, sorted")
    func union() {
        let value = Merge.value(of: writes([["b", "a"], ["c", "a"], .null, []]), rule: .union)
        #expect(value == ["a", "b", "c"])
    }

    @Test("last writer wins by HLC, then clientId bytes")
    func lastWriterWins() {
        let early = OpenWrite(value: "early", clientId: "z", hlc: HLC(wall: 1, counter: 0), version: 9)
        let late = OpenWrite(value: "late", clientId: "a", hlc: HLC(wall: 2, counter: 0), version: 1)
        #expect(Merge.value(of: [late, early], rule: .lastWriterWins) == "late")
        let tieA = OpenWrite(value: "A", clientId: "a", hlc: HLC(wall: 2, counter: 0), version: 5)
        let tieB = OpenWrite(value: "B", clientId: "b", hlc: HLC(wall: 2, counter: 0), version: 4)
        #expect(Merge.value(of: [tieB, tieA], rule: .lastWriterWins) == "B")
    }

    @Test("a delete wins over an edit, and a final inspection takes no writes, before any merge")
    func admission() {
        #expect(WriteAdmission.upsert(deleted: true, inspection: .closed) == .deleted, "the delete is decided first")
        #expect(WriteAdmission.upsert(deleted: false, inspection: .closed) == .final(.closed))
        #expect(WriteAdmission.upsert(deleted: false, inspection: .cancelled) == .final(.cancelled))
        for state in [InspectionState.draft, .inProgress, .completed] {
            #expect(WriteAdmission.upsert(deleted: false, inspection: state) == .admitted)
        }
        #expect(WriteAdmission.upsert(deleted: false, inspection: nil) == .admitted)
    }

    @Test("concurrent writes conflict, and the rule decides")
    func conflictArises() {
        var row = TestRow(.item)
        let first = row.write(["status": "ok", "note": "fine"], by: "a", at: 100, seen: 0)
        #expect(first.conflicts.isEmpty)
        #expect(first.endedConflictFields == ["note", "status"])
        let second = row.write(["status": "now"], by: "b", at: 90, seen: 0)
        #expect(second.values == ["status": "now", "note": "fine"])
        #expect(second.conflicts.count == 1)
        let conflict = second.conflicts[0]
        #expect(conflict.field == "status")
        #expect(conflict.rule == .severity)
        #expect(conflict.winner == "now")
        #expect(conflict.writes.map(\.clientId) == ["b", "a"])
        #expect(conflict.writes.map(\.version) == [2, 1])
        #expect(second.endedConflictFields.isEmpty)
    }

    @Test("a write that has seen everything sets the value (now back to ok) and ends the conflict")
    func seenEverything() {
        var row = TestRow(.item)
        row.write(["status": "ok"], by: "a", at: 100, seen: 0)
        row.write(["status": "now"], by: "b", at: 101, seen: 0)
        let resolved = row.write(["status": "ok"], by: "c", at: 50, seen: row.version)
        #expect(resolved.values["status"] == "ok")
        #expect(resolved.conflicts.isEmpty)
        #expect(resolved.endedConflictFields == ["status"])
        #expect(resolved.state.fields["status"]?.count == 1)
    }

    @Test("a client's own later write closes its earlier one, even without seeing it")
    func closesOwnWrites() {
        var row = TestRow(.item)
        row.write(["status": "now"], by: "a", at: 100, seen: 0)
        let outcome = row.write(["status": "ok"], by: "a", at: 101, seen: 0)
        #expect(outcome.values["status"] == "ok")
        #expect(outcome.state.fields["status"]?.map(\.version) == [2])
    }

    @Test("closing by baseVersion keeps writes the writer had not seen")
    func closesByBaseVersion() {
        var row = TestRow(.item)
        row.write(["note": "v1"], by: "a", at: 100, seen: 0)
        row.write(["note": "v2"], by: "b", at: 101, seen: 1)
        #expect(row.state.fields["note"]?.map(\.version) == [2])
        row.write(["note": "v3"], by: "c", at: 99, seen: 1)
        #expect(row.state.fields["note"]?.map(\.version) == [3, 2])
        #expect(Merge.values(of: row.state, entity: .item)["note"] == "v2")
        let fourth = row.write(["note": "v4"], by: "a", at: 98, seen: 2)
        #expect(fourth.state.fields["note"]?.map(\.version) == [4, 3])
        #expect(fourth.values["note"] == "v3")
        #expect(fourth.conflicts.map(\.field) == ["note"])
    }

    @Test("numerically equal values are not a conflict")
    func sameNumbers() {
        var row = TestRow(.item)
        row.write(["remainingKm": 4000], by: "a", at: 100, seen: 0)
        let outcome = row.write(["remainingKm": 4000.0], by: "b", at: 101, seen: 0)
        #expect(outcome.conflicts.isEmpty)
        #expect(outcome.endedConflictFields == ["remainingKm"])
        #expect(outcome.values["remainingKm"]?.intValue == 4000)
    }

    @Test("photos from two tablets merge into the union and the conflict ends when one has seen both")
    func photosConflict() {
        var row = TestRow(.item)
        row.write(["photos": ["aa"]], by: "a", at: 100, seen: 0)
        let second = row.write(["photos": ["bb"]], by: "b", at: 101, seen: 0)
        #expect(second.values["photos"] == ["aa", "bb"])
        #expect(second.conflicts.first?.winner == ["aa", "bb"])
        let merged = row.write(["photos": ["aa", "bb"]], by: "a", at: 102, seen: 2)
        #expect(merged.endedConflictFields == ["photos"])
        #expect(merged.values["photos"] == ["aa", "bb"])
    }

    @Test("open writes are kept in stamp order whatever the arrival order")
    func deterministicOrder() {
        var forward = TestRow(.inspection)
        forward.write(["state": "draft"], by: "a", at: 10, seen: 0)
        forward.write(["state": "completed"], by: "b", at: 5, seen: 0)
        var backward = TestRow(.inspection)
        backward.write(["state": "completed"], by: "b", at: 5, seen: 0)
        backward.write(["state": "draft"], by: "a", at: 10, seen: 0)
        #expect(forward.state.fields["state"]?.map(\.clientId) == ["b", "a"])
        #expect(backward.state.fields["state"]?.map(\.clientId) == ["b", "a"])
        #expect(Merge.values(of: forward.state, entity: .inspection) == ["state": "completed"])
        #expect(Merge.values(of: backward.state, entity: .inspection) == ["state": "completed"])
    }

    @Test("MergeState sorts writes given to its initialiser")
    func stateInitSorts() {
        let later = OpenWrite(value: 1, clientId: "a", hlc: HLC(wall: 2, counter: 0), version: 1)
        let earlier = OpenWrite(value: 2, clientId: "b", hlc: HLC(wall: 1, counter: 0), version: 2)
        #expect(MergeState(fields: ["f": [later, earlier]]).fields["f"] == [earlier, later])
    }
}
