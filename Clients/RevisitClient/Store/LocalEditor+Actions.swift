import Foundation
import GRDB
import RevisitModel

extension LocalEditor {
    /// Starts an inspection, finding the vehicle by VIN, then plate, or creating it (and its customer).
    func startInspection(_ new: NewInspection, defaultMechanic: String?) throws -> StartedInspection {
        let plate = new.plate.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !plate.isEmpty else { throw RevisitClientError(.invalidValue, "a plate is required") }
        guard InspectionState.initialStates.contains(new.state) else {
            throw RevisitClientError(.invalidTransition, "a new inspection starts as draft or in_progress")
        }
        guard let template = try ClientStore.template(id: new.templateId, version: nil, db) else {
            throw RevisitClientError(
                .templateMissing,
                "template \(new.templateId) is not in this store: log in or sync while online to fetch it"
            )
        }
        let vin = try new.vin.map {
            try validated(.vehicle, ["vin": .string($0)], isCreate: false)["vin"]!.stringValue!
        }
        let candidates = try reader.vehicles(vin: vin, plate: plate)
        let byVin = vin.flatMap { vin in candidates.first { $0.string("vin") == vin } }
        let byPlate = candidates.first { row in
            row.string("plate").map(Plate.searchKey) == Plate.searchKey(plate)
                && (vin == nil || row.string("vin") == nil)
        }
        let existing = byVin ?? byPlate

        var drafts: [MutationDraft] = []
        var vehicleFields: [String: JSONValue] = [:]
        let vehicleId: String
        if let existing {
            vehicleId = existing.id
            if existing.string("plate").map(Plate.searchKey) != Plate.searchKey(plate) {
                vehicleFields["plate"] = .string(plate)
            }
            if let vin, existing.string("vin") == nil { vehicleFields["vin"] = .string(vin) }
        } else {
            vehicleId = (vin.map(DerivedID.vehicle(vin:)) ?? UUIDv7.make(unixMillis: physicalMillis)).lowercasedString
            vehicleFields = ["plate": .string(plate), "kind": .string(VehicleKind.customer.rawValue)]
            if let vin { vehicleFields["vin"] = .string(vin) }
        }

        let customer = try customerDraft(new, vehicle: existing)
        if let draft = customer.draft { drafts.append(draft) }
        if customer.created { vehicleFields["customerId"] = .string(customer.draft!.entityId) }
        if !vehicleFields.isEmpty {
            drafts.append(
                MutationDraft(
                    entity: .vehicle,
                    entityId: vehicleId,
                    fields: try validated(.vehicle, vehicleFields, isCreate: existing == nil)
                )
            )
        }

        let inspectionId = UUIDv7.make(unixMillis: physicalMillis).lowercasedString
        var fields: [String: JSONValue] = [
            "vehicleId": .string(vehicleId), "templateId": .string(template.id),
            "templateVersion": .int(Int64(template.version)), "inspectedAt": .string(RFC3339DateTime.string(from: now)),
            "state": .string(new.state.rawValue),
        ]
        if let odometer = new.odometer { fields["odometer"] = .int(odometer) }
        if let mechanic = new.mechanic ?? defaultMechanic { fields["mechanic"] = .string(mechanic) }
        drafts.append(
            MutationDraft(
                entity: .inspection,
                entityId: inspectionId,
                fields: try validated(.inspection, fields, isCreate: true),
                inspectionId: inspectionId
            )
        )
        try queue(drafts)
        return StartedInspection(
            id: UUID(uuidString: inspectionId)!,
            vehicleId: UUID(uuidString: vehicleId)!,
            createdVehicle: existing == nil,
            createdCustomer: customer.created
        )
    }

    /// The customer edit of a new inspection: the vehicle's customer updated with what changed, or a new customer
    /// when the vehicle has none (nil when no customer detail was given).
    private func customerDraft(
        _ new: NewInspection,
        vehicle: LocalRow?
    ) throws -> (draft: MutationDraft?, created: Bool) {
        var fields: [String: JSONValue] = [:]
        if let name = new.customerName { fields["name"] = .string(name) }
        if let phone = new.phone { fields["phone"] = .string(phone) }
        if let email = new.email { fields["email"] = .string(email) }
        guard !fields.isEmpty else { return (nil, false) }
        if let customerId = vehicle?.string("customerId"), let customer = try reader.row(.customer, customerId),
            !customer.deleted
        {
            let changed = fields.filter { customer.values[$0.key]?.sameValue(as: $0.value) != true }
            guard !changed.isEmpty else { return (nil, false) }
            let draft = MutationDraft(
                entity: .customer,
                entityId: customerId,
                fields: try validated(.customer, changed, isCreate: false)
            )
            return (draft, false)
        }
        let draft = MutationDraft(
            entity: .customer,
            entityId: UUIDv7.make(unixMillis: physicalMillis).lowercasedString,
            fields: try validated(.customer, fields, isCreate: true)
        )
        return (draft, true)
    }

    /// Sets fields of one checklist item; photos are kept in the store in the same transaction.
    func setItem(_ text: String, code: String, change: ItemChange, photos: [StoredAttachment]) throws -> String {
        guard !change.isEmpty else {
            throw RevisitClientError(.invalidValue, "nothing to set: give --status or another field")
        }
        let (inspectionId, inspection, _) = try editableInspection(text)
        let templateItem = try templateItem(code, in: try template(of: inspection))
        let itemId = DerivedID.item(inspectionId: UUID(uuidString: inspectionId)!, code: code).lowercasedString
        let current = try reader.row(.item, itemId)

        var fields: [String: JSONValue] = ["inspectionId": .string(inspectionId), "code": .string(code)]
        if var measurement = change.measurement {
            if measurement.unit == nil { measurement.unit = templateItem.unit }
            fields["measurement"] = measurement.json
            if change.status == nil, let suggested = templateItem.suggestedStatus(for: measurement.value) {
                fields["status"] = .string(suggested.rawValue)
            }
        }
        if let status = change.status { fields["status"] = .string(status.rawValue) }
        if let note = change.note { fields["note"] = .string(note) }
        if let cost = change.estimatedCost { fields["estimatedCost"] = cost.json }
        if let remainingKm = change.remainingKm { fields["remainingKm"] = .int(remainingKm) }
        if let dueDate = change.dueDate { fields["dueDate"] = .string(dueDate) }
        if let decision = change.customerDecision { fields["customerDecision"] = .string(decision.rawValue) }
        if !photos.isEmpty {
            // Photos merge as a union, but a write that has seen the list replaces it: send the whole list.
            var list = current?.values["photos"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for photo in photos where !list.contains(photo.sha256) { list.append(photo.sha256) }
            fields["photos"] = .array(list.map(JSONValue.string))
            for photo in photos { try ClientStore.keep(photo, now: now, db) }
        }
        let normalised = try validated(.item, fields, isCreate: current == nil)
        try queue([MutationDraft(entity: .item, entityId: itemId, fields: normalised, inspectionId: inspectionId)])
        return inspectionId
    }

    /// Records the customer's decisions and, when asked, closes the inspection (after the decisions, so the
    /// server sees them before the close creates the follow-ups).
    func review(_ text: String, decisions: ReviewDecisions) throws -> String {
        let (inspectionId, inspection, state) = try editableInspection(text)
        let template = try template(of: inspection)
        var byCode: [String: CustomerDecision] = [:]
        for (codes, decision) in [
            (decisions.approve, CustomerDecision.approved), (decisions.deferred, .deferred),
            (decisions.decline, .declined),
        ] {
            for code in codes {
                _ = try templateItem(code, in: template)
                if let earlier = byCode[code], earlier != decision {
                    throw RevisitClientError(
                        .invalidValue,
                        "\(code) is both \(earlier.rawValue) and \(decision.rawValue); pick one"
                    )
                }
                byCode[code] = decision
            }
        }
        if decisions.close && state != .completed {
            throw RevisitClientError(
                .invalidTransition,
                "inspection \(inspectionId) is \(state.rawValue); complete it before closing "
                    + "(revisit inspect complete \(inspectionId))"
            )
        }
        guard !byCode.isEmpty || decisions.close else {
            throw RevisitClientError(.invalidValue, "nothing to record: give --approve, --defer, --decline or --close")
        }
        let inspectionUUID = UUID(uuidString: inspectionId)!
        var drafts: [MutationDraft] = byCode.keys.sorted().map { code in
            MutationDraft(
                entity: .item,
                entityId: DerivedID.item(inspectionId: inspectionUUID, code: code).lowercasedString,
                fields: [
                    "inspectionId": .string(inspectionId), "code": .string(code),
                    "customerDecision": .string(byCode[code]!.rawValue),
                ],
                inspectionId: inspectionId
            )
        }
        if decisions.close {
            drafts.append(
                MutationDraft(
                    entity: .inspection,
                    entityId: inspectionId,
                    fields: ["state": .string(InspectionState.closed.rawValue)],
                    inspectionId: inspectionId
                )
            )
        }
        try queue(drafts)
        return inspectionId
    }
}
