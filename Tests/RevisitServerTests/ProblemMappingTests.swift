import Foundation
import Hummingbird
import Logging
import OpenAPIRuntime
import RevisitModel
import RevisitStore
import Synchronization
import Testing

@testable import RevisitServer

/// The one mapping from errors to problem+json: every store kind has its answer, a 5xx other than 503 is an
/// `internal` that shows nothing of its cause, and a 503 says what to do instead of what the database said.
@Suite("Problem mapping")
struct ProblemMappingTests {
    static let request = Request(
        head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: "/v1/sync/pull"),
        body: RequestBody(buffer: ByteBuffer())
    )

    /// One error of each kind; a `switch` without `default`, so a new kind must be added here too.
    static func example(_ kind: StoreError.Kind) -> StoreError {
        switch kind {
        case .notFound: .notFound("no such row")
        case .mutationGap: .mutationGap(expected: 4, got: 6)
        case .cursorExpired: .cursorExpired("the cursor is below the purge horizon")
        case .malformed: .malformed("bad cursor")
        case .validation: .validation("bad value")
        case .invalidTransition: .invalidTransition("done to booked")
        case .unavailable: .unavailable("connection refused by db.internal:5432 for user revisit")
        }
    }

    @Test(
        "every store error kind answers its own problem type; only unavailable is a 5xx",
        arguments: StoreError.Kind.allCases
    )
    func everyKind(_ kind: StoreError.Kind) {
        let error = Self.example(kind)
        let problem = ProblemMiddleware<BasicRequestContext>.problem(for: error, request: Self.request)
        #expect(problem.type == error.slug)
        #expect(problem.type != "internal")
        if kind == .unavailable {
            #expect(problem.status == .serviceUnavailable)
        } else {
            #expect(problem.status.kind == .clientError, "\(kind): \(problem.status)")
            #expect(problem.detail == error.detail)
        }
        if kind == .mutationGap { #expect(problem.expectedMutationId == 4) }
    }

    @Test("a 503 says when to retry and carries none of the database's words, also inside a generated handler")
    func unavailableHidesTheDatabase() {
        let cause = "FATAL: password authentication failed for user \"revisit\" at db.internal"
        let error = StoreError.unavailable(cause)
        #expect(!error.detail.contains("db.internal"))
        #expect(error.logDetail == cause)
        let wrapped = ServerError(
            operationID: "syncPull",
            request: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/v1/sync/pull"),
            requestBody: nil,
            requestMetadata: .init(),
            operationInput: "input",
            operationOutput: nil,
            causeDescription: "handler threw",
            underlyingError: error
        )
        for thrown in [error as any Error, wrapped] {
            let problem = ProblemMiddleware<BasicRequestContext>.problem(for: thrown, request: Self.request)
            #expect(problem.status == .serviceUnavailable && problem.type == "unavailable")
            #expect(problem.headers[.retryAfter] == "\(APIProblem.retryAfterSeconds)")
            #expect(problem.detail.contains("try again after \(APIProblem.retryAfterSeconds) seconds"))
            #expect(!problem.detail.contains("db.internal") && !problem.detail.contains("password"))
        }
    }

    @Test("a 503 logs the database's words as a warning under the request id; a bug logs an error")
    func logsTheCause() {
        let records = CollectingLogHandler.Lines()
        var logger = Logger(label: "test") { _ in CollectingLogHandler(lines: records) }
        logger[metadataKey: "hb.request.id"] = "req-42"
        let outage = StoreError.unavailable("server closed the connection unexpectedly")
        ProblemMiddleware<BasicRequestContext>.log(outage, answered: APIProblem(outage), logger: logger)
        struct Bug: Error {}
        ProblemMiddleware<BasicRequestContext>.log(Bug(), answered: .internal, logger: logger)
        ProblemMiddleware<BasicRequestContext>.log(
            StoreError.validation("x"),
            answered: APIProblem(StoreError.validation("x")),
            logger: logger
        )
        let lines = records.all
        #expect(lines.count == 2)
        #expect(lines.first?.level == .warning)
        #expect(lines.first?.text.contains("server closed the connection unexpectedly") == true)
        #expect(lines.first?.text.contains("req-42") == true)
        #expect(lines.last?.level == .error)
    }

    @Test(
        "unknown errors, a rejection with a 5xx status and Hummingbird's own 5xx answer 500 internal, showing nothing"
    )
    func unknownIsInternal() {
        struct Secret: Error, CustomStringConvertible { var description: String { "SELECT secret FROM keys" } }
        let errors: [any Error] = [
            Secret(),
            MutationProblem(type: "oops", title: "Oops", status: 500, detail: "SELECT secret FROM keys"),
            HTTPError(.internalServerError, message: "SELECT secret FROM keys"),
            CancellationError(),
        ]
        for error in errors {
            let problem = ProblemMiddleware<BasicRequestContext>.problem(for: error, request: Self.request)
            #expect(problem.status == .internalServerError && problem.type == "internal", "\(error)")
            #expect(!problem.detail.contains("secret") && !problem.title.contains("secret"), "\(problem)")
        }
        let rejection = MutationProblem.inspectionFinal("inspection x is closed")
        let problem = ProblemMiddleware<BasicRequestContext>.problem(for: rejection, request: Self.request)
        #expect(problem.status == .conflict && problem.type == "inspection-final")
    }
}

/// A log handler that keeps what it is given, metadata included, for a test to read back.
struct CollectingLogHandler: LogHandler {
    struct Line: Sendable {
        var level: Logger.Level
        var text: String
    }

    /// The lines every copy of this handler logged.
    final class Lines: Sendable {
        private let storage = Mutex<[Line]>([])
        var all: [Line] { storage.withLock { $0 } }
        func append(_ line: Line) { storage.withLock { $0.append(line) } }
    }

    let lines: Lines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let text =
            "\(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.append(Line(level: event.level, text: text))
    }
}
