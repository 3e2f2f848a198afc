import Foundation
import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore

extension APIImplementation {
    /// Unreachable by design: ``PushResponder`` answers every `POST /v1/sync/push` before the generated handler could, reading
    /// the body with ``PushRequestReader`` (held equal to the generated decoder by `PushRequestReaderTests`). The
    /// generated `APIProtocol` still requires the operation, so it exists, and reaching it is a bug (a 500, logged).
    func syncPush(_ input: Operations.syncPush.Input) async throws -> Operations.syncPush.Output {
        throw FastPathBypassed(operation: "syncPush", responder: "PushResponder")
    }

    /// A push after ``PushRequestReader`` decoded it: the limits, the store and the answer in the spec's types.
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
            results: try result.results.map(Components.Schemas.MutationResult.init),
            lastMutationId: result.lastMutationId,
            hlc: hlcNow
        )
    }

    /// Unreachable by design: ``PullResponder`` answers every `GET /v1/sync/pull` from the stored JSON before the
    /// generated handler could (`PullResponderTests` hold its answer equal to the spec's `PullResponse`). Required by the
    /// generated `APIProtocol`; reaching it is a bug (a 500, logged).
    func syncPull(_ input: Operations.syncPull.Input) async throws -> Operations.syncPull.Output {
        throw FastPathBypassed(operation: "syncPull", responder: "PullResponder")
    }

    /// Unreachable by design: ``SyncStreamResponder`` answers every `GET /v1/sync/stream`, as a stream the generated
    /// types cannot write.
    func syncStream(_ input: Operations.syncStream.Input) async throws -> Operations.syncStream.Output {
        throw FastPathBypassed(operation: "syncStream", responder: "SyncStreamResponder")
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

/// A request reached a generated handler whose path a fast responder serves: a bug in the middleware order or in
/// ``RouteTable``, answered as a 500 `internal` and logged with this text.
struct FastPathBypassed: Error, CustomStringConvertible {
    let operation: String
    let responder: String
    var description: String { "\(operation) reached the generated handler; \(responder) should have answered it" }
}

extension Components.Schemas.MutationResult {
    init(_ result: MutationResult) throws {
        self.init(
            id: result.id,
            status: statusPayload(rawValue: result.status.rawValue) ?? .rejected,
            version: result.version,
            conflicts: try result.conflicts.map(Components.Schemas.Conflict.init),
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
    /// The spec's type made from ``ConflictRecord/json``, the one shape of a conflict (API answers and the data of
    /// `conflict.detected`).
    init(_ record: ConflictRecord) throws {
        self = try GeneratedModel.make(record.json)
    }
}
