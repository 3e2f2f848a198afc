import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

@Suite("Reads, templates and tenants")
struct ReadAndTenantTests {
    @Test("another tenant's rows answer 404 and never show in its pulls")
    func tenantIsolation() async throws {
        try await TestServer.with { server in
            var acme = Tablet(API(baseURL: server.baseURL, token: try await server.token("acme")))
            let other = API(baseURL: server.baseURL, token: try await server.token("other"))
            let otherAdmin = API(baseURL: server.baseURL, token: try await server.token("other", .admin))
            let scenario = Scenario()
            _ = try await acme.push(scenario.create(on: &acme))
            for path in [
                "/v1/inspections/\(scenario.inspection)", "/v1/vehicles/\(scenario.vehicle)",
                "/v1/customers/\(scenario.customer)",
            ] {
                #expect(try await other.get(path).isProblem(404, "not-found"), "\(path)")
                #expect(try await acme.api.get(path).status == 200, "\(path)")
            }
            #expect(try await other.get("/v1/sync/pull")["changes"] == [])
            #expect(try await other.get("/v1/vehicles?plate=AB-123-C")["data"] == [])
            #expect(try await otherAdmin.get("/v1/inspections")["data"] == [])
            // Writing to another tenant's id creates nothing there: the reference is missing here.
            var intruder = Tablet(other)
            let answer = try await intruder.push([
                intruder.mutation(
                    "item",
                    scenario.item("battery"),
                    ["inspectionId": .string(scenario.inspection), "code": "battery", "status": "now"]
                )
            ])
            #expect(
                answer["results"]?.arrayValue?.first?.objectValue?["error"]?.objectValue?["type"]
                    == "reference-missing"
            )
        }
    }

    @Test("inspections, vehicles and customers read back with their items, history and odometer readings")
    func reads() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let scenario = Scenario()
            var mutations = scenario.create(on: &tablet)
            let second = UUID().uuidString.lowercased()
            mutations.append(
                tablet.mutation(
                    "inspection",
                    second,
                    [
                        "vehicleId": .string(scenario.vehicle), "odometer": 95000,
                        "inspectedAt": "2026-06-01T09:00:00Z",
                        "state": "draft",
                    ]
                )
            )
            _ = try await tablet.push(mutations)
            let detail = try await tablet.api.get("/v1/inspections/\(scenario.inspection)")
            #expect(detail["id"] == .string(scenario.inspection) && detail["version"] == 3)
            let items = detail["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(items.count == 1 && items[0]["code"] == "brake_pads_front" && items[0]["remainingKm"] == 4000)
            #expect(items[0]["id"] == .string(scenario.item("brake_pads_front")))

            let vehicle = try await tablet.api.get("/v1/vehicles/\(scenario.vehicle)")
            #expect(vehicle["plate"] == "AB-123-C" && vehicle["kind"] == "customer")
            #expect(vehicle["inspections"]?.arrayValue?.count == 2)
            let readings = vehicle["odometerReadings"]?.arrayValue?.compactMap { $0.objectValue?["odometer"] }
            #expect(readings == [95000, 84210] || readings == [84210, 95000])

            let byPlate = try await tablet.api.get("/v1/vehicles?plate=ab%20123%20c")
            #expect(byPlate["data"]?.arrayValue?.count == 1)
            let byVin = try await tablet.api.get("/v1/vehicles?vin=wvwzzz1jzxw000001")
            #expect(byVin["data"]?.arrayValue?.count == 1)
            let customer = try await tablet.api.get("/v1/customers/\(scenario.customer)")
            #expect(customer["name"] == "J. de Vries" && customer["contactConsent"] == true)

            let drafts = try await tablet.api.get("/v1/inspections?state=draft")
            #expect(drafts["data"]?.arrayValue?.count == 1)
            let page1 = try await tablet.api.get("/v1/inspections?vehicleId=\(scenario.vehicle)&limit=1")
            let cursor = try #require(page1["nextCursor"]?.stringValue)
            let page2 = try await tablet.api.get(
                "/v1/inspections?vehicleId=\(scenario.vehicle)&limit=1&cursor=\(cursor)"
            )
            #expect(page2["nextCursor"] == .null)
            let ids = [page1, page2].compactMap { $0["data"]?.arrayValue?.first?.objectValue?["id"]?.stringValue }
            #expect(Set(ids) == [scenario.inspection, second])
        }
    }

    @Test("templates: the built-in standard-car, and a tenant's new version used by new inspections")
    func templates() async throws {
        try await TestServer.with { server in
            let admin = API(baseURL: server.baseURL, token: try await server.token("acme", .admin))
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token("acme")))
            let list = try await tablet.api.get("/v1/templates")
            let standard = try #require(list["data"]?.arrayValue?.first { $0.objectValue?["id"] == "standard-car" })
            #expect((standard.objectValue?["items"]?.arrayValue?.count ?? 0) >= 22)
            let items: JSONValue = [
                ["code": "lights", "title": "Lights", "category": "lights"],
                ["code": "tow_bar", "title": "Tow bar", "category": "body", "defaultIntervalDays": 365],
            ]
            #expect(
                try await tablet.api.send(
                    .PUT,
                    "/v1/templates/standard-car",
                    json: ["name": "Ours", "items": items]
                ).isProblem(403, "forbidden")
            )
            let put = try await admin.send(.PUT, "/v1/templates/standard-car", json: ["name": "Ours", "items": items])
            #expect(put.status == 200 && put["version"] == 2)
            let bad = try await admin.send(
                .PUT,
                "/v1/templates/standard-car",
                json: ["name": "Dup", "items": [items.arrayValue![0], items.arrayValue![0]]]
            )
            #expect(bad.isProblem(422, "validation"))
            #expect(
                try await tablet.api.get("/v1/templates/standard-car?version=1")["items"]?.arrayValue?.count ?? 0 >= 22
            )

            let scenario = Scenario()
            let created = try await tablet.push(scenario.create(on: &tablet))
            let item = created["results"]?.arrayValue?.last?.objectValue
            #expect(item?["status"] == "rejected", "version 2 has no brake_pads_front")
            let answer = try await tablet.push([
                tablet.mutation(
                    "item",
                    scenario.item("tow_bar"),
                    ["inspectionId": .string(scenario.inspection), "code": "tow_bar", "status": "ok"]
                )
            ])
            #expect(answer["results"]?.arrayValue?.first?.objectValue?["status"] == "applied")
            let detail = try await tablet.api.get("/v1/inspections/\(scenario.inspection)")
            #expect(detail["templateVersion"] == 2)
        }
    }
}
