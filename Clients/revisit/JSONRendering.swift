import Foundation
import RevisitClient
import RevisitModel

/// The `--json` shapes: field names as the API writes them, absent values as `null`.
enum JSONRendering {
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func optional(_ number: Int64?) -> JSONValue { number.map(JSONValue.int) ?? .null }
    static func date(_ date: Date?) -> JSONValue { date.map { .string(RFC3339DateTime.string(from: $0)) } ?? .null }

    /// With `cover`, each item says which plan pays for it (`coverage`, null: the customer).
    static func inspection(_ inspection: Inspection, cover: [String: CoveragePlan]? = nil) -> JSONValue {
        var items = inspection.items.map(item)
        if let cover {
            items = zip(inspection.items, items).map { model, json in
                var object = json.objectValue ?? [:]
                object["coverage"] = cover[model.code].map { .object($0.coverageJSON) } ?? .null
                return .object(object)
            }
        }
        return .object([
            "id": .string(inspection.id.lowercasedString), "version": optional(inspection.version),
            "state": .string(inspection.state.rawValue), "templateId": .string(inspection.templateId),
            "templateVersion": optional(inspection.templateVersion.map(Int64.init)),
            "odometer": optional(inspection.odometer), "inspectedAt": optional(inspection.inspectedAt),
            "mechanic": optional(inspection.mechanic), "vehicle": inspection.vehicle.map(vehicle) ?? .null,
            "customer": inspection.customer.map(customer) ?? .null, "items": .array(items),
            "review": inspection.review.map { review in
                .object([
                    "signedName": .string(review.signedName), "signedAt": .string(review.signedAt),
                    "linkId": .string(review.linkId),
                    "contactConsent": review.contactConsent.map(JSONValue.bool) ?? .null,
                ])
            } ?? .null,
            "pending": .bool(inspection.hasPendingChanges),
        ])
    }

    static func item(_ item: InspectionItem) -> JSONValue {
        .object([
            "id": .string(item.id.lowercasedString), "code": .string(item.code), "title": .string(item.title),
            "category": .string(item.category), "status": .string(item.status.rawValue),
            "measurement": item.measurement.map { measurement in
                .object(["value": .double(measurement.value), "unit": optional(measurement.unit)])
            } ?? .null,
            "note": optional(item.note),
            "estimatedCost": item.estimatedCost.map { cost in
                .object(["amount": .int(cost.amount), "currency": optional(cost.currency)])
            } ?? .null,
            "remainingKm": optional(item.remainingKm), "dueDate": optional(item.dueDate),
            "photos": .array(item.photos.map(JSONValue.string)),
            "customerDecision": optional(item.customerDecision?.rawValue),
            "declineReason": optional(item.declineReason?.rawValue), "version": optional(item.version),
            "pending": .bool(item.hasPendingChanges),
        ])
    }

    static func vehicle(_ vehicle: Vehicle) -> JSONValue {
        .object([
            "id": .string(vehicle.id.lowercasedString), "plate": optional(vehicle.plate), "vin": optional(vehicle.vin),
            "make": optional(vehicle.make), "model": optional(vehicle.model), "year": optional(vehicle.year),
            "customerId": optional(vehicle.customerId?.lowercasedString), "kind": .string(vehicle.kind.rawValue),
        ])
    }

    static func customer(_ customer: Customer) -> JSONValue {
        .object([
            "id": .string(customer.id.lowercasedString), "name": optional(customer.name),
            "phone": optional(customer.phone), "email": optional(customer.email),
            "contactConsent": customer.contactConsent.map(JSONValue.bool) ?? .null,
        ])
    }

    static func summary(_ summary: InspectionSummary) -> JSONValue {
        .object([
            "id": .string(summary.id.lowercasedString), "state": .string(summary.state.rawValue),
            "plate": optional(summary.plate), "vin": optional(summary.vin),
            "inspectedAt": optional(summary.inspectedAt), "mechanic": optional(summary.mechanic),
            "now": .int(Int64(summary.nowCount)), "later": .int(Int64(summary.laterCount)),
            "checked": .int(Int64(summary.checkedCount)), "items": .int(Int64(summary.templateItemCount)),
            "pending": .bool(summary.hasPendingChanges),
        ])
    }

    static func rejected(_ rejected: RejectedMutation) -> JSONValue {
        .object([
            "mutationId": .int(rejected.mutationId), "entity": .string(rejected.entity),
            "entityId": .string(rejected.entityId), "op": .string(rejected.op), "fields": .object(rejected.fields),
            "error": problem(rejected.problem), "rejectedAt": date(rejected.rejectedAt),
        ])
    }

    static func problem(_ problem: MutationProblem) -> JSONValue {
        .object([
            "type": .string(problem.type), "title": .string(problem.title), "status": .int(Int64(problem.status)),
            "detail": .string(problem.detail),
        ])
    }

    static func conflict(_ conflict: Conflict) -> JSONValue {
        .object([
            "id": .string(conflict.id), "entity": .string(conflict.entity), "entityId": .string(conflict.entityId),
            "field": .string(conflict.field), "rule": .string(conflict.rule), "winner": conflict.winner,
            "writes": .array(
                conflict.writes.map { write in
                    .object([
                        "value": write.value, "clientId": .string(write.clientId),
                        "hlc": .object(["wall": .int(write.hlc.wall), "counter": .int(Int64(write.hlc.counter))]),
                        "version": .int(write.version),
                    ])
                }
            ),
            "resolved": .bool(conflict.resolved), "createdAt": date(conflict.createdAt),
            "itemCode": optional(conflict.itemCode), "inspectionId": optional(conflict.inspectionId),
        ])
    }

    static func sync(_ summary: SyncSummary) -> JSONValue {
        .object([
            "uploaded": .int(Int64(summary.uploaded)), "applied": .int(Int64(summary.applied)),
            "rejected": .int(Int64(summary.rejected)), "duplicates": .int(Int64(summary.duplicates)),
            "pulled": .int(Int64(summary.pulled)), "conflicts": .int(Int64(summary.conflicts)),
            "resynced": .bool(summary.resynced), "lastSync": date(summary.finishedAt),
        ])
    }
}
