import Foundation
import RevisitModel

extension PushEngine {
    /// Checks an inspection upsert against its lifecycle; fills the defaults of a new one. Returns the final state
    /// the write takes the inspection to, if any (the caller ends the inspection's conflicts with it).
    mutating func checkInspection(
        _ fields: inout [String: JSONValue],
        write: Write,
        existing: StoredRow?
    ) throws -> InspectionState? {
        if let vehicleId = fields["vehicleId"]?.stringValue, vehicleId != existing?.fields["vehicleId"]?.stringValue {
            guard let vehicle = try context.row(id: vehicleId), vehicle.entity == .vehicle, !vehicle.deleted else {
                throw MutationProblem.referenceMissing("vehicle \(vehicleId) does not exist")
            }
        }
        let requested = try fields["state"].map { value -> InspectionState in
            guard let state = value.stringValue.flatMap(InspectionState.init(rawValue:)) else {
                throw MutationProblem.validation("state is not an inspection state")
            }
            return state
        }
        guard let existing else {
            return try checkNewInspection(&fields, state: requested)
        }
        let current = existing.state ?? .draft
        if case .final = WriteAdmission.upsert(deleted: false, inspection: current) {
            if let requested, requested.isFinal, requested != current {
                try recordFinalConflict(write, existing: existing, requested: requested)
            }
            throw MutationProblem.inspectionFinal("inspection \(write.id) is \(current.rawValue); it takes no writes")
        }
        for key in ["templateId", "templateVersion"] where fields[key] != nil && fields[key] != existing.fields[key] {
            throw MutationProblem.validation("an inspection's \(key) cannot change once it is created")
        }
        guard let requested, requested != current, !current.canTransition(to: requested) else {
            return requested?.isFinal == true ? requested : nil
        }
        // A write that did not see the latest state may name an earlier one: the lifecycle rule keeps the
        // furthest, so it is recorded rather than refused.
        let latestStateWrite = existing.merge.fields["state"]?.map(\.version).max() ?? 0
        let concurrent = write.mutation.baseVersion < latestStateWrite
        if concurrent, !requested.isFinal, requested.lifecycleRank < current.lifecycleRank {
            return nil
        }
        throw MutationProblem.invalidTransition(
            "an inspection cannot go from \(current.rawValue) to \(requested.rawValue)"
        )
    }

    private func checkNewInspection(
        _ fields: inout [String: JSONValue],
        state: InspectionState?
    ) throws -> InspectionState? {
        let state = state ?? .draft
        guard InspectionState.initialStates.contains(state) else {
            throw MutationProblem.invalidTransition("a new inspection starts as draft or in_progress")
        }
        fields["state"] = .string(state.rawValue)
        let templateId = fields["templateId"]?.stringValue ?? BuiltInTemplates.standardCar.id
        let version = fields["templateVersion"]?.intValue.map { Int($0) }
        guard let template = try context.template(id: templateId, version: version) else {
            throw MutationProblem.validation("template \(templateId)\(version.map { " v\($0)" } ?? "") does not exist")
        }
        fields["templateId"] = .string(template.id)
        fields["templateVersion"] = .int(Int64(template.version))
        if fields["inspectedAt"] == nil || fields["inspectedAt"] == .null {
            fields["inspectedAt"] = .string(RFC3339DateTime.string(from: context.now))
        }
        return nil
    }

    /// A concurrent `cancelled` after `closed` (or the other way round): the first one won; the record says so.
    private func recordFinalConflict(_ write: Write, existing: StoredRow, requested: InspectionState) throws {
        let now = context.now
        var writes = existing.merge.fields["state"] ?? []
        writes.append(
            OpenWrite(value: .string(requested.rawValue), clientId: clientId, hlc: write.hlc, version: existing.version)
        )
        try context.save(
            ConflictRecord(
                id: context.newId(),
                entity: EntityKind.inspection.rawValue,
                entityId: write.id,
                field: "state",
                rule: AdmissionRule.final.rawValue,
                winner: existing.fields["state"] ?? .null,
                writes: writes,
                resolved: true,
                createdAt: now,
                resolvedAt: now
            )
        )
    }
}
