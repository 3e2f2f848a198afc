import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1
import OpenAPIRuntime
import RevisitModel
import RevisitStore

/// The one place where errors become answers: every failure leaves as RFC 9457 problem+json, and a 5xx never shows
/// internals (they go to the log, under the request id that the answer carries in `X-Request-Id`).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = Self.problem(for: error, request: request)
            Self.log(error, answered: problem, logger: context.logger)
            response = problem.response(omittingBody: request.method == .head)
        }
        response.headers[.requestID] = context.id
        return response
    }

    /// A 5xx's cause goes to the log, under the request id the logger carries, and never into the answer: an outage
    /// (503 `unavailable`) as a warning with the database's own words, a cap that is full as a notice, anything else (a
    /// bug) as an error.
    static func log(_ error: any Error, answered problem: APIProblem, logger: Logger) {
        guard problem.status.kind == .serverError else { return }
        if let refusal = error as? APIProblem, refusal.status == .serviceUnavailable {
            // A 503 the server chose (a cap is full) is not an outage: it says what it is.
            logger.notice("answered 503", metadata: ["detail": "\(refusal.detail)"])
        } else if problem.status == .serviceUnavailable {
            logger.warning("answered 503: the database cannot be reached", metadata: ["cause": "\(cause(of: error))"])
        } else {
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// The innermost error's log text (a generated handler wraps what the handler threw).
    static func cause(of error: any Error) -> String {
        switch error {
        case let error as ServerError: cause(of: error.underlyingError)
        case let error as StoreError: error.description
        default: String(reflecting: error)
        }
    }

    /// The answer for any error; what is not known here is a 500 `internal` whose detail shows nothing of it.
    static func problem(for error: any Error, request: Request) -> APIProblem {
        switch error {
        case let problem as APIProblem: return problem
        case let error as StoreError: return APIProblem(error)
        case let problem as MutationProblem:
            // Rejections are 409 or 422 by construction; a status outside 4xx would be a bug, not an answer.
            let status = HTTPResponse.Status(code: problem.status)
            guard status.kind == .clientError else { return .internal }
            return APIProblem(status, problem.type, problem.title, problem.detail)
        case let error as ServerError:
            if error.operationInput != nil { return problem(for: error.underlyingError, request: request) }
            // The generated code failed before the handler ran: the request itself does not fit the contract.
            if let decoding = error.underlyingError as? DecodingError {
                return .malformed(DecodingErrorText.describe(decoding))
            }
            let cause = "\(error.causeDescription) \(error.underlyingError)"
            if cause.contains("Unexpected content type") || cause.contains("unexpectedContentType") {
                return .unsupportedMediaType("this path takes application/json")
            }
            return .malformed("\(error.underlyingError)")
        case let error as DecodingError: return .malformed(DecodingErrorText.describe(error))
        // The client's bytes stopped making HTTP, or stopped (a body cut short by the body timeout or a hang-up):
        // its fault, answered 400 if the connection is still there to hear it.
        case let error as HTTPParserError:
            return .malformed("the request is not valid HTTP/1.1: \(error.debugDescription)")
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                if let allowed = RouteTable.allowedMethods(for: request.uri.path),
                    !allowed.contains(request.method.rawValue)
                {
                    return .methodNotAllowed(allowed)
                }
                return .notFound("no resource at \(request.uri.path)")
            case .contentTooLarge: return .payloadTooLarge("the request body is over this path's limit")
            case .badRequest: return .malformed(error.body ?? "the request is malformed")
            case .unsupportedMediaType: return .unsupportedMediaType(error.body ?? "unsupported content type")
            default:
                // Hummingbird's own 5xx would carry its text: answered as ours, with nothing of it shown.
                guard error.status.kind == .clientError else { return .internal }
                return APIProblem(
                    error.status,
                    "http-\(error.status.code)",
                    error.status.reasonPhrase,
                    error.body ?? ""
                )
            }
        default:
            return .internal
        }
    }
}

extension APIProblem {
    func response(omittingBody: Bool = false) -> Response {
        var body: [String: Any] = ["type": type, "title": title, "status": Int(status.code), "detail": detail]
        if let expectedMutationId { body["expectedMutationId"] = expectedMutationId }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(
            status: status,
            headers: fields,
            body: omittingBody ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!
}

/// A decoding failure told in terms a client developer can act on (the field path and what was wrong).
enum DecodingErrorText {
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the body" : String(path.drop { $0 == "." })
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(_, let context): return "\(path(context)): a value is required"
        case .keyNotFound(let key, let context):
            return "\(path(context)): the field \"\(key.stringValue)\" is required"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return "\(path(context)): \(context.debugDescription)\(underlying)"
        @unknown default: return "the body is not valid JSON for this request"
        }
    }
}
