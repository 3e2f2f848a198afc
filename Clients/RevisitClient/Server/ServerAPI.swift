import Foundation
import HTTPTypes
import OpenAPIRuntime
import RevisitModel

/// The server as the sync loop sees it: the generated client behind a few calls that speak the library's own types
/// and throw ``ServerFailure``, so generated names never leave this folder (as in swift-openapi-generator's
/// curated-client-library example).
struct ServerAPI: Sendable {
    let client: Client
    let serverURL: URL

    init(serverURL: URL, token: String, transport: any ClientTransport) {
        self.serverURL = serverURL
        client = Client(
            serverURL: serverURL,
            // Compact bodies: a push of 500 mutations need not be pretty-printed.
            configuration: Configuration(dateTranscoder: RFC3339DateTranscoder(), jsonEncodingOptions: []),
            transport: transport,
            middlewares: [BearerTokenMiddleware(token: token)]
        )
    }

    /// Runs a generated call, turning transport errors into ``ServerFailure/unreachable(_:)``.
    func call<Output>(_ body: () async throws -> Output) async throws -> Output {
        do {
            return try await body()
        } catch let failure as ServerFailure {
            throw failure
        } catch let error as ClientError {
            if let response = error.response {
                let status = response.status.code
                // A 5xx or 429 without the contract's body (a proxy's HTML page) is still worth retrying.
                if status == 429 || status >= 500 {
                    let retryAfter = response.headerFields[.retryAfter].flatMap { Int($0) }.map { Duration.seconds($0) }
                    throw ServerFailure.transient(status: status, retryAfter: retryAfter, detail: "")
                }
                // Any other answer that does not decode: a server bug, not the network.
                throw ServerFailure.failed(
                    status: response.status.code,
                    problem: MutationProblem(
                        type: "bad-response",
                        title: "Unreadable answer",
                        status: response.status.code,
                        detail: error.causeDescription
                    )
                )
            }
            throw ServerFailure.unreachable(Self.describe(error.underlyingError))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ServerFailure.unreachable(Self.describe(error))
        }
    }

    /// Pushes mutations (in id order) for `clientId`.
    func push(clientId: String, mutations: [QueuedMutation]) async throws -> PushAnswer {
        let body = Components.Schemas.PushRequest(
            clientId: clientId,
            mutations: try mutations.map { mutation in
                Components.Schemas.Mutation(
                    id: mutation.id,
                    entity: mutation.entity.rawValue,
                    entityId: mutation.entityId,
                    op: mutation.op == "delete" ? .delete : .upsert,
                    baseVersion: mutation.baseVersion,
                    hlc: .init(wall: mutation.hlc.wall, counter: mutation.hlc.counter),
                    fields: try OpenAPIObjectContainer(fields: mutation.fields)
                )
            }
        )
        let output = try await call { try await client.syncPush(body: .json(body)) }
        switch output {
        case .ok(let ok):
            let answer = try ok.body.json
            return PushAnswer(
                results: answer.results.map(PushAnswer.Result.init),
                lastMutationId: answer.lastMutationId,
                hlc: HLC(answer.hlc)
            )
        case .conflict(let gap):
            let problem = try gap.body.application_problem_plus_json
            if Self.slug(problem._type) == "mutation-gap", let expected = problem.expectedMutationId {
                throw ServerFailure.mutationGap(expected: expected)
            }
            throw ServerFailure.failed(status: 409, problem: MutationProblem(problem))
        case .badRequest(let answer):
            throw ServerFailure.failed(
                status: 400,
                problem: try? MutationProblem(answer.body.application_problem_plus_json)
            )
        case .unauthorized(let answer): throw Self.refused(401, try? answer.body.application_problem_plus_json)
        case .forbidden(let answer): throw Self.refused(403, try? answer.body.application_problem_plus_json)
        case .contentTooLarge(let answer):
            throw ServerFailure.tooLarge((try? answer.body.application_problem_plus_json.detail) ?? "push too large")
        case .unsupportedMediaType(let answer):
            throw ServerFailure.failed(
                status: 415,
                problem: try? MutationProblem(answer.body.application_problem_plus_json)
            )
        case .serviceUnavailable(let answer):
            throw Self.unavailable(answer.headers.Retry_hyphen_After, try? answer.body.application_problem_plus_json)
        case .undocumented(let status, let payload): throw Self.undocumented(status, payload)
        }
    }

    /// One page of changes after `since`; with `wait` (seconds) the server holds the answer until something newer
    /// commits or the time runs out.
    func pull(since: String?, limit: Int, wait: Int? = nil) async throws -> PullPage {
        let output = try await call {
            try await client.syncPull(query: .init(since: since, limit: limit, wait: wait))
        }
        switch output {
        case .ok(let ok):
            let page = try ok.body.json
            let changes = page.changes.map { change in
                PulledChange(
                    entity: change.entity,
                    id: change.entityId.lowercased(),
                    version: change.version,
                    deleted: change.deleted,
                    fields: change.fields.jsonFields
                )
            }
            return PullPage(changes: changes, cursor: page.cursor, hasMore: page.hasMore, hlc: HLC(page.hlc))
        case .gone: throw ServerFailure.cursorExpired
        case .badRequest(let answer):
            throw ServerFailure.failed(
                status: 400,
                problem: try? MutationProblem(answer.body.application_problem_plus_json)
            )
        case .unauthorized(let answer): throw Self.refused(401, try? answer.body.application_problem_plus_json)
        case .forbidden(let answer): throw Self.refused(403, try? answer.body.application_problem_plus_json)
        case .serviceUnavailable(let answer):
            throw Self.unavailable(answer.headers.Retry_hyphen_After, try? answer.body.application_problem_plus_json)
        case .undocumented(let status, let payload): throw Self.undocumented(status, payload)
        }
    }

    // MARK: Failures

    static func refused(_ status: Int, _ problem: Components.Schemas.Problem?) -> ServerFailure {
        .refused(status: status, detail: problem?.detail ?? "")
    }

    static func unavailable(_ retryAfter: Int?, _ problem: Components.Schemas.Problem?) -> ServerFailure {
        .transient(status: 503, retryAfter: retryAfter.map { .seconds($0) }, detail: problem?.detail ?? "")
    }

    /// A status the contract does not list for the operation: 429 and 5xx are retried, the rest fail.
    static func undocumented(_ status: Int, _ payload: UndocumentedPayload) -> ServerFailure {
        let retryAfter = payload.headerFields[.retryAfter].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if status == 429 || status >= 500 {
            return .transient(status: status, retryAfter: retryAfter.map { .seconds($0) }, detail: "")
        }
        if status == 401 || status == 403 { return .refused(status: status, detail: "") }
        return .failed(status: status, problem: nil)
    }

    /// The slug of a problem `type`: the bare slug or the last path segment of a URI (DESIGN section 10).
    static func slug(_ type: String) -> String {
        type.split(separator: "/").last.map(String.init) ?? type
    }

    /// A short cause for a message: NIO's descriptions of the usual network failures are long.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("Connection refused") { return "connection refused" }
        if text.lowercased().contains("timeout") || text.contains("timedOut") { return "timed out" }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

extension HLC {
    init(_ hlc: Components.Schemas.HLC) { self.init(wall: hlc.wall, counter: hlc.counter) }
}

extension MutationProblem {
    init(_ problem: Components.Schemas.Problem) {
        self.init(
            type: ServerAPI.slug(problem._type),
            title: problem.title,
            status: problem.status,
            detail: problem.detail ?? problem.title
        )
    }
}

extension PushAnswer.Result {
    init(_ result: Components.Schemas.MutationResult) {
        self.init(
            id: result.id,
            status: Status(rawValue: result.status.rawValue) ?? .rejected,
            conflicts: result.conflicts.map(Conflict.init),
            error: result.error.map(MutationProblem.init),
            original: result.original.flatMap { Status(rawValue: $0.rawValue) }
        )
    }
}

extension Conflict {
    init(_ conflict: Components.Schemas.Conflict) {
        self.init(
            id: conflict.id,
            entity: conflict.entity,
            entityId: conflict.entityId,
            field: conflict.field,
            rule: conflict.rule,
            winner: JSONValue(sendable: conflict.winner.value),
            writes: conflict.writes.map { write in
                OpenWrite(
                    value: JSONValue(sendable: write.value.value),
                    clientId: write.clientId,
                    hlc: HLC(write.hlc),
                    version: write.version
                )
            },
            resolved: conflict.resolved,
            createdAt: conflict.createdAt
        )
    }
}
