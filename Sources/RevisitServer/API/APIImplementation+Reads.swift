import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore

extension APIImplementation {
    func listInspections(_ input: Operations.listInspections.Input) async throws -> Operations.listInspections.Output {
        let principal = try caller(.admin, .device, .integration)
        let page = try await store.inspections(
            tenantId: principal.tenantId,
            vehicleId: input.query.vehicleId,
            state: input.query.state,
            cursor: input.query.cursor,
            limit: try listLimit(input.query.limit)
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: try page.generated(\.json),
                        nextCursor: nextCursorValue(page.nextCursor)
                    )
                )
            )
        )
    }

    func getInspection(_ input: Operations.getInspection.Input) async throws -> Operations.getInspection.Output {
        let principal = try caller(.admin, .device, .integration)
        guard let detail = try await store.inspection(tenantId: principal.tenantId, id: input.path.id) else {
            throw APIProblem.notFound("inspection \(input.path.id) does not exist")
        }
        return .ok(.init(body: .json(try GeneratedModel.make(detail.json))))
    }

    func listVehicles(_ input: Operations.listVehicles.Input) async throws -> Operations.listVehicles.Output {
        let principal = try caller(.admin, .device, .integration)
        let page = try await store.vehicles(
            tenantId: principal.tenantId,
            plate: input.query.plate,
            vin: input.query.vin,
            cursor: input.query.cursor,
            limit: try listLimit(input.query.limit)
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: try page.generated(\.json),
                        nextCursor: nextCursorValue(page.nextCursor)
                    )
                )
            )
        )
    }

    func getVehicle(_ input: Operations.getVehicle.Input) async throws -> Operations.getVehicle.Output {
        let principal = try caller(.admin, .device, .integration)
        guard let detail = try await store.vehicle(tenantId: principal.tenantId, id: input.path.id) else {
            throw APIProblem.notFound("vehicle \(input.path.id) does not exist")
        }
        var json = detail.vehicle.json
        json["inspections"] = .array(detail.inspections.map { .object($0.json) })
        json["odometerReadings"] = .array(detail.odometerReadings.map { .object($0.json) })
        return .ok(.init(body: .json(try GeneratedModel.make(json))))
    }

    func getCustomer(_ input: Operations.getCustomer.Input) async throws -> Operations.getCustomer.Output {
        let principal = try caller(.admin, .device, .integration)
        guard let customer = try await store.customer(tenantId: principal.tenantId, id: input.path.id) else {
            throw APIProblem.notFound("customer \(input.path.id) does not exist")
        }
        return .ok(.init(body: .json(try GeneratedModel.make(customer.json))))
    }
}
