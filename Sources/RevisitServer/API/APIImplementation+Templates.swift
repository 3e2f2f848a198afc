import OpenAPIRuntime
import RevisitAPI
import RevisitModel

extension APIImplementation {
    func listTemplates(_ input: Operations.listTemplates.Input) async throws -> Operations.listTemplates.Output {
        let principal = try caller(.admin, .device)
        _ = try listLimit(input.query.limit)
        let templates = try await store.templates(tenantId: principal.tenantId)
        return .ok(
            .init(
                body: .json(
                    .init(data: try templates.map { try GeneratedModel.convert($0) }, nextCursor: nil)
                )
            )
        )
    }

    func getTemplate(_ input: Operations.getTemplate.Input) async throws -> Operations.getTemplate.Output {
        let principal = try caller(.admin, .device)
        guard
            let template = try await store.template(
                tenantId: principal.tenantId,
                id: input.path.id,
                version: input.query.version
            )
        else { throw APIProblem.notFound("template \(input.path.id) does not exist") }
        return .ok(.init(body: .json(try GeneratedModel.convert(template))))
    }

    func putTemplate(_ input: Operations.putTemplate.Input) async throws -> Operations.putTemplate.Output {
        let principal = try caller(.admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let items = try body.items.map { try GeneratedModel.convert($0, to: TemplateItem.self) }
        let template = try await store.putTemplate(
            tenantId: principal.tenantId,
            id: input.path.id,
            name: body.name,
            items: items
        )
        logger.info("template stored", metadata: ["id": "\(template.id)", "version": "\(template.version)"])
        return .ok(.init(body: .json(try GeneratedModel.convert(template))))
    }
}
