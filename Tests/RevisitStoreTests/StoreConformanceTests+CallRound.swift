import Foundation
import RevisitModel
import RevisitStore
import Testing

/// The call round (DESIGN section 6) as every backend persists it: the rules are ``CallRoundWriter``'s, the
/// replanner's and the cover rule's; each store loads the vehicle's follow-ups, readings and plans and writes the plan.
/// Two stores on one database: a write through one is read through the other.
extension StoreConformanceTests {
    /// A closed inspection on 2 March 2026 at 84,210 km: front pads with 3,600 km left (brakes) and a front tyre with
    /// 10,000 km left (tyres); returns the vehicle's and the customer's ids.
    static func closeKilometreInspection(
        _ store: any SyncStore,
        _ tenantId: Int64
    ) async throws -> (vehicle: String, customer: String) {
        let customer = UUID().uuidString.lowercased()
        let vehicle = UUID().uuidString.lowercased()
        let inspection = UUID()
        var id: Int64 = 0
        func mutation(_ entity: String, _ entityId: String, _ fields: [String: JSONValue]) -> IncomingMutation {
            id += 1
            return IncomingMutation(
                id: id,
                entity: entity,
                entityId: entityId,
                op: .upsert,
                baseVersion: 0,
                hlc: HLC(wall: 1_772_440_000_000 + id, counter: 0),
                fields: fields
            )
        }
        let inspectionId = inspection.uuidString.lowercased()
        var mutations = [
            mutation("customer", customer, ["name": "J. de Vries", "phone": "+31 20 1234567"]),
            mutation("vehicle", vehicle, ["plate": "AB-123-C", "customerId": .string(customer), "kind": "customer"]),
            mutation(
                "inspection",
                inspectionId,
                [
                    "vehicleId": .string(vehicle), "templateId": "standard-car", "odometer": 84210,
                    "inspectedAt": "2026-03-02T09:30:00Z", "state": "in_progress",
                ]
            ),
        ]
        for (code, km) in [("brake_pads_front", 3600), ("tyre_front_left", 10_000)] {
            mutations.append(
                mutation(
                    "item",
                    DerivedID.item(inspectionId: inspection, code: code).uuidString.lowercased(),
                    [
                        "inspectionId": .string(inspectionId), "code": .string(code), "status": "later",
                        "remainingKm": .int(Int64(km)), "estimatedCost": ["amount": 10_000],
                    ]
                )
            )
        }
        mutations.append(mutation("inspection", inspectionId, ["state": "completed"]))
        mutations.append(mutation("inspection", inspectionId, ["state": "closed"]))
        let result = try await store.push(tenantId: tenantId, clientId: "tablet", mutations: mutations)
        #expect(result.results.allSatisfy { $0.status == .applied })
        return (vehicle, customer)
    }

    static func openFollowups(
        _ store: any SyncStore,
        _ tenantId: Int64,
        covered: Bool? = nil
    ) async throws
        -> [String: FollowUpRecord]
    {
        let page = try await store.followups(
            tenantId: tenantId,
            state: nil,
            vehicleId: nil,
            dueBefore: nil,
            covered: covered,
            cursor: nil,
            limit: 100
        )
        return Dictionary(uniqueKeysWithValues: page.items.map { ($0.code, $0) })
    }

    @Test(
        "a reading re-plans every kilometre follow-up of the vehicle once; a wrong one changes nothing",
        arguments: StoreBackend.all
    )
    func readingReplans(_ backend: StoreBackend) async throws {
        try await StoreConcurrencyTests.withPair(backend) { stores, tenantId, clock in
            clock.set(RFC3339DateTime.date(from: "2026-03-02T10:00:00Z")!)
            let (vehicle, _) = try await Self.closeKilometreInspection(stores[0], tenantId)
            let before = try await Self.openFollowups(stores[1], tenantId)
            #expect(
                before["brake_pads_front"]?.dueDate == "2026-06-10" && before["brake_pads_front"]?.dueOdometer == 87810
            )

            clock.set(RFC3339DateTime.date(from: "2026-04-30T12:00:00Z")!)
            let reading = OdometerSample(at: RFC3339DateTime.date(from: "2026-04-30T10:00:00Z")!, km: 87410)
            let changed = try await stores[0].addOdometerReading(
                tenantId: tenantId,
                vehicleId: vehicle,
                reading: reading
            )
            #expect(Set(changed.map(\.code)) == ["brake_pads_front", "tyre_front_left"])
            let after = try await Self.openFollowups(stores[1], tenantId)
            #expect(
                after["brake_pads_front"]?.dueDate == "2026-05-07"
                    && after["brake_pads_front"]?.dueSource == "km_reading"
            )
            #expect((after["tyre_front_left"]?.dueDate ?? "") < (before["tyre_front_left"]?.dueDate ?? ""))
            let events = try await stores[1].events(tenantId: tenantId, after: nil, limit: 1000).events.count
            #expect(
                try await stores[1].addOdometerReading(tenantId: tenantId, vehicleId: vehicle, reading: reading).isEmpty
            )

            let typo = OdometerSample(at: RFC3339DateTime.date(from: "2026-04-30T11:00:00Z")!, km: 874_100)
            await #expect(throws: MutationProblem.self) {
                try await stores[1].addOdometerReading(tenantId: tenantId, vehicleId: vehicle, reading: typo)
            }
            #expect(try await stores[0].events(tenantId: tenantId, after: nil, limit: 1000).events.count == events)
            #expect(
                try await stores[0].vehicle(tenantId: tenantId, id: vehicle)?.odometerReadings.map(\.source) == [
                    .inspection, .crm,
                ]
            )
            await #expect(throws: StoreError.self) {
                try await stores[0].addOdometerReading(
                    tenantId: tenantId,
                    vehicleId: UUID().uuidString,
                    reading: reading
                )
            }
        }
    }

    @Test(
        "cover follows the plans; a sold car ends its other follow-ups; a correction is a new version of the customer",
        arguments: StoreBackend.all
    )
    func coverSoldAndCorrection(_ backend: StoreBackend) async throws {
        try await StoreConcurrencyTests.withPair(backend) { stores, tenantId, clock in
            clock.set(RFC3339DateTime.date(from: "2026-03-02T10:00:00Z")!)
            let (vehicle, customer) = try await Self.closeKilometreInspection(stores[0], tenantId)
            let brakes = CoveragePlan(
                kind: .warranty,
                name: "Brakes",
                validUntil: CalendarDate(year: 2027, month: 1, day: 1)!,
                validUntilKm: 100_000,
                categories: ["brakes"]
            )
            let changed = try await stores[0].replaceCoveragePlans(
                tenantId: tenantId,
                vehicleId: vehicle,
                plans: [brakes]
            )
            #expect(changed.map(\.code) == ["brake_pads_front"])
            #expect(try await stores[1].coveragePlans(tenantId: tenantId, vehicleId: vehicle) == [brakes])
            #expect(
                try await Self.openFollowups(stores[1], tenantId, covered: true).keys.sorted() == ["brake_pads_front"]
            )
            #expect(
                try await Self.openFollowups(stores[1], tenantId, covered: false).keys.sorted() == ["tyre_front_left"]
            )
            #expect(
                try await stores[0].replaceCoveragePlans(tenantId: tenantId, vehicleId: vehicle, plans: [brakes])
                    .isEmpty
            )

            let pads = try #require(try await Self.openFollowups(stores[0], tenantId)["brake_pads_front"])
            let sold = try await stores[1].recordOutcome(
                tenantId: tenantId,
                id: pads.id,
                OutcomeRequest(outcome: .lost, reason: .vehicleSold, isAdmin: false)
            )
            #expect(sold.state == .lost)
            let tyre = try await Self.openFollowups(stores[0], tenantId)["tyre_front_left"]
            #expect(tyre?.state == .lost && tyre?.outcome?["reason"] == "vehicle_sold")

            let before = try #require(try await stores[0].customer(tenantId: tenantId, id: customer))
            let fixed = try await stores[1].updateCustomer(
                tenantId: tenantId,
                id: customer,
                fields: ["phone": "+31 6 1"]
            )
            #expect(
                fixed.version > before.version && fixed.fields["phone"] == "+31 6 1"
                    && fixed.fields["name"] == "J. de Vries"
            )
            let pulled = try await stores[0].pull(tenantId: tenantId, since: String(before.version), limit: 100)
            #expect(pulled.changes.contains { $0.entityId == customer })
            await #expect(throws: StoreError.self) {
                try await stores[0].updateCustomer(tenantId: tenantId, id: UUID().uuidString, fields: ["phone": "1"])
            }
        }
    }
}
