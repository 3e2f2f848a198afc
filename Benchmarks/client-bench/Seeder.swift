import Foundation
import RevisitModel
import RevisitStore
import Synchronization

/// Fills the server with inspections the way tablets would have pushed them, but straight into its store (the
/// benchmark times the client, not the seeding): per inspection a vehicle (VIN-derived id), the inspection and
/// all its items, in pushes of 1000 mutations.
struct Seeder {
    let store: any SyncStore
    let tenantId: Int64
    let template: Template
    let clientId = UUID().uuidString.lowercased()
    private let state: SeederState

    /// Publishes `standard-car` with `itemsPerInspection` items (the 22 built-in ones and more) for the tenant.
    init(server: BenchServer, itemsPerInspection: Int) async throws {
        store = server.store
        let token = try await store.createToken(tenantSlug: "bench", role: .admin, name: "seeder").1
        guard let principal = try await store.authenticate(token: token) else { throw BenchFailure("no tenant") }
        tenantId = principal.tenantId
        var items = BuiltInTemplates.standardCar.items
        let extra = [
            "spare_tyre", "first_aid_kit", "warning_triangle", "brake_lights", "mirrors", "door_locks", "handbrake",
            "number_plate_lights", "fuel_lines", "drive_shafts", "wheel_bearings", "tow_bar",
        ]
        for code in extra where items.count < itemsPerInspection {
            items.append(
                TemplateItem(code: code, title: code.replacingOccurrences(of: "_", with: " "), category: "extra")
            )
        }
        var index = 0
        while items.count < itemsPerInspection {
            index += 1
            items.append(TemplateItem(code: "extra_\(index)", title: "Extra \(index)", category: "extra"))
        }
        items = Array(items.prefix(itemsPerInspection))
        template = try await store.putTemplate(
            tenantId: tenantId,
            id: BuiltInTemplates.standardCar.id,
            name: "Standard car (bench)",
            items: items
        )
        state = SeederState()
    }

    /// Pushes `inspections` inspections; returns the number of rows now on the server.
    func seed(inspections: Int) async throws -> Int {
        var batch: [IncomingMutation] = []
        var rows = 0
        var random = SystemRandomNumberGenerator()
        let statuses: [ItemStatus] = [.ok, .ok, .ok, .ok, .ok, .ok, .ok, .later, .later, .now]
        for number in 0..<inspections {
            let vin = Self.vin(number)
            let vehicle = DerivedID.vehicle(vin: vin).lowercasedString
            let inspection = UUIDv7.make(unixMillis: 1_760_000_000_000 + Int64(number)).lowercasedString
            batch.append(mutation(.vehicle, vehicle, ["vin": .string(vin), "plate": .string("B-\(number)")]))
            batch.append(
                mutation(
                    .inspection,
                    inspection,
                    [
                        "vehicleId": .string(vehicle), "templateId": .string(template.id),
                        "templateVersion": .int(Int64(template.version)), "odometer": .int(Int64(20_000 + number)),
                        "state": "in_progress", "mechanic": "Bench",
                    ]
                )
            )
            for item in template.items {
                let status = statuses.randomElement(using: &random)!
                var fields: [String: JSONValue] = [
                    "inspectionId": .string(inspection), "code": .string(item.code), "status": .string(status.rawValue),
                ]
                if status != .ok { fields["note"] = .string("seen at inspection \(number)") }
                batch.append(
                    mutation(
                        .item,
                        DerivedID.item(inspectionId: UUID(uuidString: inspection)!, code: item.code).lowercasedString,
                        fields
                    )
                )
            }
            rows += 2 + template.items.count
            if number == 0 { state.remember(inspection: inspection) }
            if batch.count >= 1000 {
                try await push(batch)
                batch.removeAll(keepingCapacity: true)
            }
            if number > 0 && number % 1000 == 0 { Log.note("seeded \(number) inspections") }
        }
        if !batch.isEmpty { try await push(batch) }
        return rows
    }

    /// Changes one item of the first inspection (a note), as another tablet would.
    func changeOneItem(round: Int) async throws {
        guard let inspection = state.inspection, let code = template.items.first?.code else { return }
        let id = DerivedID.item(inspectionId: UUID(uuidString: inspection)!, code: code).lowercasedString
        try await push([
            mutation(
                .item,
                id,
                ["inspectionId": .string(inspection), "code": .string(code), "note": .string("round \(round)")]
            )
        ])
    }

    private func mutation(_ entity: EntityKind, _ id: String, _ fields: [String: JSONValue]) -> IncomingMutation {
        let number = state.nextId()
        return IncomingMutation(
            id: number,
            entity: entity.rawValue,
            entityId: id,
            op: .upsert,
            baseVersion: 0,
            hlc: HLC(wall: Int64(Date().timeIntervalSince1970 * 1000), counter: 0),
            fields: fields
        )
    }

    private func push(_ mutations: [IncomingMutation]) async throws {
        let result = try await store.push(tenantId: tenantId, clientId: clientId, mutations: mutations)
        let refused = result.results.filter { $0.status != .applied }
        guard refused.isEmpty else {
            throw BenchFailure(
                "seeding: \(refused.count) mutations not applied, e.g. \(String(describing: refused[0].error))"
            )
        }
    }

    /// A valid VIN for the number (17 characters, no I, O or Q).
    static func vin(_ number: Int) -> String {
        let digits = String(number)
        return "WVWZZZ1JZ" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// The seeder's mutable bits: the next mutation id and the inspection the incremental rounds change.
final class SeederState: Sendable {
    private let state = Mutex<(lastId: Int64, inspection: String?)>((0, nil))

    var inspection: String? { state.withLock { $0.inspection } }

    func nextId() -> Int64 {
        state.withLock { state in
            state.lastId += 1
            return state.lastId
        }
    }

    func remember(inspection: String) { state.withLock { $0.inspection = inspection } }
}
