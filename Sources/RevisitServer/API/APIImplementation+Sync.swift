import Foundation
import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore

extension APIImplementation {
    func syncPush(_ input: Operations.syncPush.Input) async throws -> Operations.syncPush.Output {
        let principal = try caller(.device, .admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let mutations = body.mutations.map { mutation in
            IncomingMutation(
                id: mutation.id,
                entity: mutation.entity,
                entityId: mutation.entityId,
                op: mutation.op == .delete ? .delete : .upsert,
                baseVersion: mutation.baseVersion,
                hlc: HLC(wall: mutation.hlc.wall, counter: mutation.hlc.counter),
                fields: mutation.fields?.jsonFields ?? [:]
            )
        }
        let response = try await push(principal, clientId: body.clientId, mutations: mutations)
        return .ok(.init(body: .json(response)))
    }

    /// A push after decoding, whichever reader decoded it (``PushResponder`` or the generated handler).
    func push(
        _ principal: Principal,
        clientId: String,
        mutations: [IncomingMutation]
    ) async throws
        -> Components.Schemas.PushResponse
    {
        guard let clientId = UUID(uuidString: clientId) else {
            throw APIProblem.malformed("clientId must be a UUID (one per local store, never reused)")
        }
        guard mutations.count <= configuration.limits.pushMutations else {
            throw APIProblem.payloadTooLarge(
                "a push carries at most \(configuration.limits.pushMutations) mutations; send the rest in the next"
            )
        }
        if mutations.contains(where: { $0.id < 1 }) { throw APIProblem.malformed("mutation ids start at 1") }
        let result = try await store.push(
            tenantId: principal.tenantId,
            clientId: clientId.uuidString.lowercased(),
            mutations: mutations
        )
        Self.count(result)
        return .init(
            results: result.results.map(Components.Schemas.MutationResult.init),
            lastMutationId: result.lastMutationId,
            hlc: hlcNow
        )
    }

    func syncPull(_ input: Operations.syncPull.Input) async throws -> Operations.syncPull.Output {
        let principal = try caller(.device, .admin)
        let limit = try listLimit(input.query.limit, default: 500)
        let page = try await store.pull(tenantId: principal.tenantId, since: input.query.since, limit: limit)
        ServerMetrics.pullRows.increment(by: page.changes.count)
        let changes = page.changes.map { change in
            Components.Schemas.Change(
                entity: change.entity,
                entityId: change.entityId,
                version: change.version,
                deleted: change.deleted,
                fields: OpenAPIObjectContainer(change.fields)
            )
        }
        return .ok(.init(body: .json(.init(changes: changes, cursor: page.cursor, hasMore: page.hasMore, hlc: hlcNow))))
    }

    private static func count(_ result: PushResult) {
        var counts: [String: Int] = [:]
        var conflicts = 0
        var clamped = 0
        for item in result.results {
            counts[item.status.rawValue, default: 0] += 1
            conflicts += item.status == .applied ? item.conflicts.count : 0
            clamped += item.hlcClamped ? 1 : 0
        }
        for (status, count) in counts { ServerMetrics.mutations(status).increment(by: count) }
        if conflicts > 0 { ServerMetrics.conflicts.increment(by: conflicts) }
        if clamped > 0 { ServerMetrics.hlcClamped.increment(by: clamped) }
    }
}

extension Components.Schemas.MutationResult {
    init(_ result: MutationResult) {
        self.init(
            id: result.id,
            status: statusPayload(rawValue: result.status.rawValue) ?? .rejected,
            version: result.version,
            conflicts: result.conflicts.map(Components.Schemas.Conflict.init),
            error: result.error.map(Components.Schemas.Problem.init),
            original: result.original.flatMap { originalPayload(rawValue: $0.rawValue) },
            hlcClamped: result.hlcClamped ? true : nil
        )
    }
}

extension Components.Schemas.Problem {
    init(_ problem: MutationProblem) {
        self.init(_type: problem.type, title: problem.title, status: problem.status, detail: problem.detail)
    }
}

extension Components.Schemas.Conflict {
    init(_ record: ConflictRecord) {
        self.init(
            id: record.id,
            entity: record.entity,
            entityId: record.entityId,
            field: record.field,
            rule: record.rule,
            winner: record.winner.valueContainer,
            writes: record.writes.map {
                .init(
                    value: $0.value.valueContainer,
                    clientId: $0.clientId,
                    hlc: .init(wall: $0.hlc.wall, counter: $0.hlc.counter),
                    version: $0.version
                )
            },
            resolved: record.resolved,
            createdAt: record.createdAt,
            resolvedAt: record.resolvedAt
        )
    }
}
