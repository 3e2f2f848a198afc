import Foundation
import OpenAPIRuntime
import RevisitAPI
import RevisitStore

extension APIImplementation {
    func createReviewLink(
        _ input: Operations.createReviewLink.Input
    ) async throws
        -> Operations.createReviewLink.Output
    {
        let principal = try caller(.admin, .device)
        let base = linkBase.current
        let (link, token) = try await store.createReviewLink(
            tenantId: principal.tenantId,
            inspectionId: input.path.id
        ) { token in ReviewPaths.page(base: base, token: token) }
        logger.info("review link made", metadata: ["link": "\(link.id)", "inspection": "\(link.inspectionId)"])
        return .created(
            .init(
                body: .json(
                    .init(
                        id: link.id,
                        url: ReviewPaths.page(base: base, token: token),
                        expiresAt: link.expiresAt,
                        inspectionId: link.inspectionId
                    )
                )
            )
        )
    }

    func listReviewLinks(_ input: Operations.listReviewLinks.Input) async throws -> Operations.listReviewLinks.Output {
        let principal = try caller(.admin, .device)
        guard let links = try await store.reviewLinks(tenantId: principal.tenantId, inspectionId: input.path.id) else {
            throw APIProblem.notFound("inspection \(input.path.id) does not exist")
        }
        let data = links.map { link in
            Components.Schemas.ReviewLink(
                id: link.id,
                inspectionId: link.inspectionId,
                createdAt: link.createdAt,
                expiresAt: link.expiresAt,
                openedAt: link.openedAt,
                completedAt: link.completedAt,
                revokedAt: link.revokedAt
            )
        }
        return .ok(.init(body: .json(.init(data: data, nextCursor: nil))))
    }

    func revokeReviewLink(_ input: Operations.revokeReviewLink.Input) async throws -> Operations.revokeReviewLink.Output
    {
        let principal = try caller(.admin, .device)
        guard try await store.revokeReviewLink(tenantId: principal.tenantId, id: input.path.id) else {
            throw APIProblem.notFound("review link \(input.path.id) does not exist")
        }
        logger.info("review link revoked", metadata: ["link": "\(input.path.id)"])
        return .noContent(.init())
    }
}
