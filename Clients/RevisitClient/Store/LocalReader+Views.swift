import Foundation
import GRDB
import RevisitModel

extension LocalReader {
    /// The inspection with its whole checklist, vehicle and customer.
    func inspection(_ id: String) throws -> Inspection? {
        guard let row = try row(.inspection, id), !row.deleted else { return nil }
        let state = row.string("state").flatMap(InspectionState.init(rawValue:)) ?? .draft
        // Edits queued for the items of an inspection the server already holds final will be rejected.
        let serverFinal =
            try row.serverVersion != nil
            && (self.row(.inspection, id, ignoringPending: true)?
                .string("state").flatMap(InspectionState.init(rawValue:))?.isFinal ?? false)
        let itemRows = try items(ofInspection: id, ignoringPending: serverFinal)
        let templateId = row.string("templateId") ?? BuiltInTemplates.standardCar.id
        let templateVersion = row.int("templateVersion").map { Int($0) }
        let template =
            try ClientStore.template(id: templateId, version: templateVersion, db)
            ?? ClientStore.template(id: templateId, version: nil, db)
        let vehicle = try row.string("vehicleId").flatMap { try self.vehicle($0) }
        let customer = try vehicle?.customerId.flatMap { try self.customer($0.lowercasedString) }
        guard let uuid = UUID(uuidString: id) else { return nil }

        var items: [InspectionItem] = []
        var listed: Set<String> = []
        for templateItem in template?.items ?? [] {
            listed.insert(templateItem.code)
            items.append(
                Self.item(
                    inspection: uuid,
                    code: templateItem.code,
                    row: itemRows[templateItem.code],
                    template: templateItem
                )
            )
        }
        for code in itemRows.keys.sorted() where !listed.contains(code) {
            items.append(Self.item(inspection: uuid, code: code, row: itemRows[code], template: nil))
        }
        return Inspection(
            id: uuid,
            version: row.serverVersion,
            state: state,
            templateId: templateId,
            templateVersion: templateVersion,
            odometer: row.int("odometer"),
            inspectedAt: row.string("inspectedAt"),
            mechanic: row.string("mechanic"),
            vehicle: vehicle,
            customer: customer,
            review: CustomerReview(json: row.values["review"]),
            items: items,
            hasPendingChanges: row.hasPending || itemRows.values.contains { $0.hasPending },
            fields: row.values
        )
    }

    static func item(inspection: UUID, code: String, row: LocalRow?, template: TemplateItem?) -> InspectionItem {
        InspectionItem(
            id: DerivedID.item(inspectionId: inspection, code: code),
            code: code,
            title: template?.title ?? code,
            category: template?.category ?? "",
            unit: template?.unit,
            status: row?.string("status").flatMap(ItemStatus.init(rawValue:)) ?? .unchecked,
            measurement: MeasuredValue(json: row?.values["measurement"]),
            note: row?.string("note"),
            estimatedCost: Money(json: row?.values["estimatedCost"]),
            remainingKm: row?.int("remainingKm"),
            dueDate: row?.string("dueDate"),
            photos: row?.values["photos"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            customerDecision: row?.string("customerDecision").flatMap(CustomerDecision.init(rawValue:)),
            declineReason: row?.string("declineReason").flatMap(DeclineReason.init(rawValue:)),
            version: row?.serverVersion,
            isWritten: row != nil,
            hasPendingChanges: row?.hasPending ?? false
        )
    }

    func vehicle(_ id: String) throws -> Vehicle? {
        guard let row = try row(.vehicle, id), !row.deleted else { return nil }
        return Vehicle(row)
    }

    func customer(_ id: String) throws -> Customer? {
        guard let row = try row(.customer, id), !row.deleted, let uuid = UUID(uuidString: id) else { return nil }
        return Customer(
            id: uuid,
            version: row.serverVersion,
            name: row.string("name"),
            phone: row.string("phone"),
            email: row.string("email"),
            contactConsent: row.values["contactConsent"]?.boolValue
        )
    }

    /// Inspections, newest first, filtered by state and plate, at most `limit`.
    func inspectionSummaries(state: InspectionState?, plate: String?, limit: Int) throws -> [InspectionSummary] {
        var rows = try allRows(.inspection)
        if let state { rows = rows.filter { $0.string("state") == state.rawValue } }
        var vehicles: [String: Vehicle] = [:]
        func vehicleOf(_ row: LocalRow) throws -> Vehicle? {
            guard let id = row.string("vehicleId") else { return nil }
            if let known = vehicles[id] { return known }
            let found = try vehicle(id)
            vehicles[id] = found
            return found
        }
        if let plate {
            let key = Plate.searchKey(plate)
            rows = try rows.filter { try vehicleOf($0)?.plate.map(Plate.searchKey) == key }
        }
        rows.sort { ($0.string("inspectedAt") ?? "~", $0.id) > ($1.string("inspectedAt") ?? "~", $1.id) }
        return try rows.prefix(max(limit, 0)).compactMap { row in
            guard let uuid = UUID(uuidString: row.id) else { return nil }
            let items = try self.items(ofInspection: row.id, ignoringPending: false).values
            let statuses = items.compactMap { $0.string("status").flatMap(ItemStatus.init(rawValue:)) }
            let template = try row.string("templateId").flatMap { id in
                try ClientStore.template(id: id, version: row.int("templateVersion").map { Int($0) }, db)
            }
            let vehicle = try vehicleOf(row)
            return InspectionSummary(
                id: uuid,
                state: row.string("state").flatMap(InspectionState.init(rawValue:)) ?? .draft,
                plate: vehicle?.plate,
                vin: vehicle?.vin,
                inspectedAt: row.string("inspectedAt"),
                mechanic: row.string("mechanic"),
                nowCount: statuses.filter { $0 == .now }.count,
                laterCount: statuses.filter { $0 == .later }.count,
                checkedCount: statuses.filter { $0 != .unchecked }.count,
                templateItemCount: template?.items.count ?? items.count,
                hasPendingChanges: row.hasPending || items.contains { $0.hasPending }
            )
        }
    }
}

extension Vehicle {
    init?(_ row: LocalRow) {
        guard let uuid = UUID(uuidString: row.id) else { return nil }
        self.init(
            id: uuid,
            version: row.serverVersion,
            plate: row.string("plate"),
            vin: row.string("vin"),
            make: row.string("make"),
            model: row.string("model"),
            year: row.int("year"),
            customerId: row.string("customerId").flatMap(UUID.init(uuidString:)),
            kind: row.string("kind").flatMap(VehicleKind.init(rawValue:)) ?? .customer
        )
    }
}
