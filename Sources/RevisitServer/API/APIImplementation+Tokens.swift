import OpenAPIRuntime
import RevisitAPI
import RevisitStore

extension APIImplementation {
    func createToken(_ input: Operations.createToken.Input) async throws -> Operations.createToken.Output {
        let principal = try caller(.admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        if let name = body.name, name.count > 100 { throw APIProblem.validation("name is at most 100 characters") }
        let role = Role(rawValue: body.role.rawValue) ?? .device
        let (record, secret) = try await store.createToken(tenantId: principal.tenantId, role: role, name: body.name)
        logger.info("token created", metadata: ["id": "\(record.id)", "role": "\(role.rawValue)"])
        return .created(
            .init(
                body: .json(
                    .init(
                        id: record.id,
                        role: body.role,
                        name: record.name,
                        tenant: record.tenantSlug,
                        createdAt: record.createdAt,
                        token: secret
                    )
                )
            )
        )
    }

    func listTokens(_ input: Operations.listTokens.Input) async throws -> Operations.listTokens.Output {
        let principal = try caller(.admin)
        let page = try await store.tokens(
            tenantId: principal.tenantId,
            cursor: input.query.cursor,
            limit: try listLimit(input.query.limit)
        )
        let data = page.items.map { record in
            Components.Schemas.Token(
                id: record.id,
                role: .init(rawValue: record.role.rawValue) ?? .device,
                name: record.name,
                tenant: record.tenantSlug,
                createdAt: record.createdAt,
                revokedAt: record.revokedAt
            )
        }
        return .ok(.init(body: .json(.init(data: data, nextCursor: nextCursorValue(page.nextCursor)))))
    }

    func revokeToken(_ input: Operations.revokeToken.Input) async throws -> Operations.revokeToken.Output {
        let principal = try caller(.admin)
        guard try await store.revokeToken(tenantId: principal.tenantId, id: input.path.id) else {
            throw APIProblem.notFound("token \(input.path.id) does not exist")
        }
        tokenGuard?.forget(tokenId: input.path.id)
        logger.info("token revoked", metadata: ["id": "\(input.path.id)"])
        return .noContent(.init())
    }
}
