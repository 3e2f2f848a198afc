import OpenAPIRuntime
import RevisitAPI
import RevisitModel

extension APIImplementation {
    func listConflicts(_ input: Operations.listConflicts.Input) async throws -> Operations.listConflicts.Output {
        let principal = try caller(.device, .admin)
        let page = try await store.conflicts(
            tenantId: principal.tenantId,
            resolved: input.query.resolved ?? false,
            entityId: input.query.entityId,
            cursor: input.query.cursor,
            limit: try listLimit(input.query.limit)
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: try page.items.map(Components.Schemas.Conflict.init),
                        nextCursor: nextCursorValue(page.nextCursor)
                    )
                )
            )
        )
    }

    func resolveConflict(_ input: Operations.resolveConflict.Input) async throws -> Operations.resolveConflict.Output {
        let principal = try caller(.device, .admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let record = try await store.resolveConflict(
            tenantId: principal.tenantId,
            id: input.path.id,
            value: JSONValue(sendable: body.value.value)
        )
        return .ok(.init(body: .json(try .init(record))))
    }
}
