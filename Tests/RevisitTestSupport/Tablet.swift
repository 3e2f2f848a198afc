import Foundation
import RevisitModel

/// A simulated tablet: one clientId, its own mutation ids and HLC, building pushes as an app would.
public struct Tablet {
    public let api: API
    public let clientId = UUID().uuidString.lowercased()
    public var nextId: Int64 = 1
    public var wall: Int64 = Int64(Date().timeIntervalSince1970 * 1000)

    public init(_ api: API) { self.api = api }

    /// One mutation with the next id and a later HLC.
    public mutating func mutation(
        _ entity: String,
        _ id: String,
        _ fields: [String: JSONValue],
        base: Int64 = 0,
        op: String = "upsert"
    ) -> JSONValue {
        defer { nextId += 1 }
        wall += 1
        return .object([
            "id": .int(nextId), "entity": .string(entity), "entityId": .string(id), "op": .string(op),
            "baseVersion": .int(base), "hlc": .object(["wall": .int(wall), "counter": .int(0)]),
            "fields": .object(fields),
        ])
    }

    public func push(_ mutations: [JSONValue]) async throws -> Answer {
        try await api.post("/v1/sync/push", .object(["clientId": .string(clientId), "mutations": .array(mutations)]))
    }

    /// Pulls everything after `since`, following `hasMore`.
    public func pullAll(since: String? = nil) async throws -> (changes: [String: [String: JSONValue]], cursor: String) {
        var cursor = since
        var rows: [String: [String: JSONValue]] = [:]
        while true {
            let query = cursor.map { "?since=\($0)&limit=1000" } ?? "?limit=1000"
            let answer = try await api.get("/v1/sync/pull" + query)
            guard answer.status == 200 else { throw TestFailure("pull answered \(answer.status): \(answer.json)") }
            for change in answer["changes"]?.arrayValue ?? [] {
                guard let object = change.objectValue, let id = object["entityId"]?.stringValue else { continue }
                rows[id] = object
            }
            cursor = answer["cursor"]?.stringValue
            if answer["hasMore"]?.boolValue != true { break }
        }
        return (rows, cursor ?? "0")
    }
}

/// Ids and fields of a small, valid inspection: a customer, their vehicle, an inspection, and one item.
public struct Scenario {
    public init() {}
    public let customer = UUID().uuidString.lowercased()
    public let vehicle = UUID().uuidString.lowercased()
    public let inspection = UUID().uuidString.lowercased()

    public func item(_ code: String) -> String {
        DerivedID.item(inspectionId: UUID(uuidString: inspection)!, code: code).uuidString.lowercased()
    }

    public func create(on tablet: inout Tablet, state: String = "in_progress") -> [JSONValue] {
        [
            tablet.mutation("customer", customer, ["name": "J. de Vries", "contactConsent": true]),
            tablet.mutation(
                "vehicle",
                vehicle,
                ["plate": "AB-123-C", "vin": "WVWZZZ1JZXW000001", "customerId": .string(customer), "kind": "customer"]
            ),
            tablet.mutation(
                "inspection",
                inspection,
                [
                    "vehicleId": .string(vehicle), "templateId": "standard-car", "odometer": 84210,
                    "state": .string(state),
                ]
            ),
            tablet.mutation(
                "item",
                item("brake_pads_front"),
                [
                    "inspectionId": .string(inspection), "code": "brake_pads_front", "status": "later",
                    "remainingKm": 4000,
                ]
            ),
        ]
    }
}
