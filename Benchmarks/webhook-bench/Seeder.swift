import Foundation
import RevisitModel
import RevisitStore

/// Closed inspections with deferred items, pushed through the store as tablets would: `inspections × codes`
/// follow-ups, all due on `dueDate`.
struct Seeder {
    let store: any SyncStore
    let tenantId: Int64
    let codes = Array(BuiltInTemplates.standardCar.items.map(\.code).prefix(20))

    func seed(inspections: Int, dueDate: String) async throws {
        let clientId = UUID().uuidString.lowercased()
        var nextId: Int64 = 1
        var batch: [IncomingMutation] = []
        func add(_ entity: String, _ id: String, _ fields: [String: JSONValue]) {
            batch.append(
                IncomingMutation(
                    id: nextId,
                    entity: entity,
                    entityId: id,
                    op: .upsert,
                    baseVersion: 0,
                    hlc: HLC(wall: 1_764_000_000_000 + nextId, counter: 0),
                    fields: fields
                )
            )
            nextId += 1
        }
        for n in 0..<inspections {
            let customer = UUID().uuidString.lowercased()
            let vehicle = UUID().uuidString.lowercased()
            let inspection = UUID().uuidString.lowercased()
            add("customer", customer, ["name": .string("Customer \(n)"), "contactConsent": true])
            add("vehicle", vehicle, ["plate": .string("BN-\(n)"), "customerId": .string(customer)])
            add("inspection", inspection, ["vehicleId": .string(vehicle), "state": "in_progress", "odometer": 50000])
            for code in codes {
                let item = DerivedID.item(inspectionId: UUID(uuidString: inspection)!, code: code).uuidString
                    .lowercased()
                add(
                    "item",
                    item,
                    [
                        "inspectionId": .string(inspection), "code": .string(code), "status": "later",
                        "dueDate": .string(dueDate), "estimatedCost": ["amount": 9900],
                    ]
                )
            }
            add("inspection", inspection, ["state": "completed"])
            add("inspection", inspection, ["state": "closed"])
            if batch.count >= 400 {
                try await flush(&batch, clientId: clientId)
            }
        }
        try await flush(&batch, clientId: clientId)
    }

    private func flush(_ batch: inout [IncomingMutation], clientId: String) async throws {
        guard !batch.isEmpty else { return }
        let result = try await store.push(tenantId: tenantId, clientId: clientId, mutations: batch)
        let rejected = result.results.filter { $0.status == .rejected }
        if let first = rejected.first {
            throw BenchFailure("\(rejected.count) seed mutations rejected, e.g. \(first.error?.detail ?? "?")")
        }
        batch.removeAll(keepingCapacity: true)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
