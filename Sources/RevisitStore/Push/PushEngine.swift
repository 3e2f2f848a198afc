import Foundation
import RevisitModel

/// The rules of a push (DESIGN sections 4 and 5), independent of the database: every check of a mutation runs before
/// any of its writes, so a rejected mutation writes nothing but its outcome (and, where DESIGN asks for it, its
/// conflict record), and never stops the rest of the batch.
struct PushEngine<Context: PushContext> {
    var context: Context
    let clientId: String
    /// Whether this client is a review link, the only writer of an inspection's `review` (the customer's signature).
    let signsReviews: Bool
    /// The push's own clock reading; after ``run(_:)`` its ``PushStamps/highest`` is what the tenant stores.
    private(set) var stamps: PushStamps

    init(context: Context, clientId: String, stamps: PushStamps, signsReviews: Bool = false) {
        self.context = context
        self.clientId = clientId
        self.stamps = stamps
        self.signsReviews = signsReviews
    }

    /// Runs a whole push; throws a gap error (the caller rolls back) when an id skips ahead.
    mutating func run(_ mutations: [IncomingMutation]) throws -> PushResult {
        let previous = try context.lastMutationId(clientId: clientId)
        var last = previous
        var results: [MutationResult] = []
        results.reserveCapacity(mutations.count)
        for mutation in mutations {
            if mutation.id <= last {
                results.append(try duplicate(mutation))
                continue
            }
            guard mutation.id == last + 1 else {
                throw StoreError.mutationGap(expected: last + 1, got: mutation.id)
            }
            let result = try process(mutation)
            try context.saveOutcome(
                clientId: clientId,
                mutationId: mutation.id,
                StoredOutcome(status: result.status, version: result.version, error: result.error)
            )
            results.append(result)
            last = mutation.id
        }
        if last != previous { try context.setLastMutationId(clientId: clientId, last) }
        return PushResult(results: results, lastMutationId: last)
    }

    private func duplicate(_ mutation: IncomingMutation) throws -> MutationResult {
        guard let kept = try context.outcome(clientId: clientId, mutationId: mutation.id) else {
            return MutationResult(id: mutation.id, status: .duplicate)
        }
        return MutationResult(
            id: mutation.id,
            status: .duplicate,
            version: kept.version,
            error: kept.error,
            original: kept.status
        )
    }

    private mutating func process(_ mutation: IncomingMutation) throws -> MutationResult {
        guard let entity = EntityKind(rawValue: mutation.entity) else {
            return .rejected(
                mutation,
                .unknownEntity("unknown entity \"\(mutation.entity)\": expected customer, vehicle, inspection or item")
            )
        }
        guard let uuid = UUID(uuidString: mutation.entityId) else {
            return .rejected(mutation, .validation("entityId \"\(mutation.entityId)\" is not a UUID"))
        }
        guard mutation.hlc.wall >= 0, (0...HLC.maxCounter).contains(mutation.hlc.counter) else {
            return .rejected(mutation, .validation("hlc.wall must be ≥ 0 and hlc.counter within 0…65535"))
        }
        let id = uuid.uuidString.lowercased()
        let stamp = stamps.stamp(mutation.hlc)
        let write = Write(mutation: mutation, entity: entity, id: id, hlc: stamp.hlc, clamped: stamp.clamped)
        let existing = try context.row(id: id)
        if let existing, existing.entity != entity {
            return .rejected(mutation, .validation("entityId \(id) belongs to a \(existing.entity.rawValue)"))
        }
        do {
            switch mutation.op {
            case .upsert: return try upsert(write, existing: existing)
            case .delete: return try delete(write, existing: existing)
            }
        } catch let problem as MutationProblem {
            return .rejected(mutation, problem, version: existing?.version)
        }
    }

    // MARK: Upsert

    private mutating func upsert(_ write: Write, existing: StoredRow?) throws -> MutationResult {
        if let existing, WriteAdmission.upsert(deleted: existing.deleted, inspection: nil) == .deleted {
            let conflict = try recordDeleteWins(write, tombstone: existing)
            return .rejected(
                write.mutation,
                .entityDeleted("the \(write.entity.rawValue) \(write.id) was deleted; a delete wins over an edit"),
                version: existing.version,
                conflicts: [conflict]
            )
        }
        var fields = try FieldValidator.validate(
            entity: write.entity,
            fields: write.mutation.fields,
            isCreate: existing == nil
        )
        if write.entity == .inspection, fields["review"] != nil, !signsReviews {
            throw MutationProblem.validation(
                "inspection.review is the customer's signature: only the review page writes it (make a review link)"
            )
        }
        var finalState: InspectionState?
        switch write.entity {
        case .item: try checkItem(&fields, write: write, existing: existing)
        case .inspection: finalState = try checkInspection(&fields, write: write, existing: existing)
        case .vehicle: try checkVehicle(&fields, existing: existing)
        case .customer: break
        }

        let version = context.nextVersion()
        var outcome = Merge.apply(
            fields: fields,
            clientId: clientId,
            hlc: write.hlc,
            baseVersion: write.mutation.baseVersion,
            version: version,
            entity: write.entity,
            to: existing?.merge ?? MergeState()
        )
        if let finalState {
            // A final state is not merged: the first to arrive wins and ends every concurrent state write.
            let value = JSONValue.string(finalState.rawValue)
            outcome.state.fields["state"] = [
                OpenWrite(value: value, clientId: clientId, hlc: write.hlc, version: version)
            ]
            outcome.values["state"] = value
            outcome.conflicts.removeAll { $0.field == "state" }
        }
        let now = context.now
        let row = StoredRow(
            entity: write.entity,
            id: write.id,
            version: version,
            deleted: false,
            fields: outcome.values,
            merge: outcome.state,
            createdAt: existing?.createdAt ?? now,
            updatedAt: now
        )
        try context.save(row)
        if write.entity == .inspection { try inspectionEvents(row, previous: existing?.state, final: finalState) }
        var conflicts = try recordConflicts(outcome, write: write)
        if finalState != nil {
            try endConflicts(ofRows: [write.id] + context.items(ofInspection: write.id).map(\.id))
            conflicts = []
        } else if existing?.merge.fields.values.contains(where: { $0.count > 1 }) == true {
            // A conflict record can only be open where a field held two open writes before this one.
            try endConflicts(outcome.endedConflictFields, entityId: write.id, values: outcome.values)
        }
        return MutationResult(
            id: write.mutation.id,
            status: .applied,
            version: version,
            conflicts: conflicts,
            hlcClamped: write.clamped
        )
    }

    private func checkItem(_ fields: inout [String: JSONValue], write: Write, existing: StoredRow?) throws {
        let inspectionId: String
        if let existing {
            for key in ["inspectionId", "code"] where fields[key] != nil && fields[key] != existing.fields[key] {
                throw MutationProblem.validation("an item's \(key) cannot change")
            }
            inspectionId = existing.fields["inspectionId"]?.stringValue ?? ""
        } else {
            inspectionId = fields["inspectionId"]?.stringValue ?? ""
            let code = fields["code"]?.stringValue ?? ""
            let derived = UUID(uuidString: inspectionId).map { DerivedID.item(inspectionId: $0, code: code) }
            guard let derived, derived.uuidString.lowercased() == write.id else {
                let want = derived?.uuidString.lowercased() ?? "?"
                throw MutationProblem.itemIdMismatch(
                    "an item's entityId is the UUID v5 of its code in its inspection's namespace: \(want)"
                )
            }
        }
        guard let inspection = try context.row(id: inspectionId), inspection.entity == .inspection,
            !inspection.deleted
        else {
            throw MutationProblem.referenceMissing("inspection \(inspectionId) does not exist")
        }
        if let state = inspection.state, state.isFinal {
            throw MutationProblem.inspectionFinal("inspection \(inspectionId) is \(state.rawValue); it takes no writes")
        }
        let code = fields["code"]?.stringValue ?? existing?.fields["code"]?.stringValue ?? ""
        let templateId = inspection.fields["templateId"]?.stringValue ?? ""
        let templateVersion = inspection.fields["templateVersion"]?.intValue.map { Int($0) }
        guard let template = try context.template(id: templateId, version: templateVersion),
            let templateItem = template.item(code: code)
        else {
            throw MutationProblem.validation(
                "item code \"\(code)\" is not in template \(templateId) v\(templateVersion ?? 0)"
            )
        }
        if let unit = templateItem.unit, let given = fields["measurement"]?.objectValue?["unit"]?.stringValue,
            given != unit
        {
            throw MutationProblem.validation("measurement.unit of \(code) must be \"\(unit)\", not \"\(given)\"")
        }
        for photo in fields["photos"]?.arrayValue ?? [] {
            guard let sha = photo.stringValue, try context.attachmentExists(sha256: sha) else {
                let sha = photo.stringValue ?? "?"
                throw MutationProblem.attachmentMissing(
                    "photo \(sha) was not uploaded: PUT /v1/attachments/\(sha) before pushing the item"
                )
            }
        }
    }

    private func checkVehicle(_ fields: inout [String: JSONValue], existing: StoredRow?) throws {
        if existing == nil, fields["kind"] == nil { fields["kind"] = .string(VehicleKind.customer.rawValue) }
        if let customerId = fields["customerId"]?.stringValue {
            guard let customer = try context.row(id: customerId), customer.entity == .customer, !customer.deleted
            else {
                throw MutationProblem.referenceMissing("customer \(customerId) does not exist")
            }
        }
    }
}

/// One mutation on its way through the engine, with the HLC it is stored with.
struct Write {
    var mutation: IncomingMutation
    var entity: EntityKind
    var id: String
    var hlc: HLC
    var clamped: Bool
}

extension StoredRow {
    /// An inspection's lifecycle state.
    var state: InspectionState? { fields["state"]?.stringValue.flatMap(InspectionState.init(rawValue:)) }
}

extension MutationResult {
    static func rejected(
        _ mutation: IncomingMutation,
        _ problem: MutationProblem,
        version: Int64? = nil,
        conflicts: [ConflictRecord] = []
    ) -> MutationResult {
        MutationResult(id: mutation.id, status: .rejected, version: version, conflicts: conflicts, error: problem)
    }
}
