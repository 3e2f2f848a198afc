import Foundation
import Logging
import RevisitAPI
import RevisitModel
import RevisitStore

/// The handlers of the generated `APIProtocol`. They check the caller's role, translate between generated and
/// domain types, and leave the rules to the store and the model; every failure is thrown (as ``APIProblem`` or
/// `StoreError`) and written once, by ``ProblemMiddleware``.
struct APIImplementation: APIProtocol {
    let store: any SyncStore
    let hlc: ServerHLC
    let attachments: any AttachmentBlobs
    let configuration: ServerConfiguration
    /// Forgets a revoked token at once on this instance (other instances within ``TokenGuard/Limits/validFor``).
    var tokenGuard: TokenGuard?
    /// Where review links point: `--public-url`, else where this server listens.
    var linkBase = LinkBase("http://127.0.0.1")
    /// Wakes held pulls and event streams when their tenant's version moves.
    var changes = ChangeBroadcaster()
    /// Lets the polls one commit wakes share their pull.
    let wokenPulls = WokenPulls()

    /// The caller, if its role is one of `roles`.
    func caller(_ roles: Role...) throws -> Principal {
        guard let principal = RequestInfo.current?.principal else {
            throw APIProblem.unauthorized("send the token as Authorization: Bearer TOKEN")
        }
        guard roles.contains(principal.role) else {
            throw APIProblem.forbidden("a \(principal.role.rawValue) token may not do this")
        }
        return principal
    }

    var logger: Logger { RequestInfo.current?.logger ?? Logger(label: "revisit") }

    /// A list's `limit`: default 100, 1…1000 (DESIGN section 10).
    func listLimit(_ limit: Int?, default value: Int = 100) throws -> Int {
        guard let limit else { return value }
        guard (1...1000).contains(limit) else { throw APIProblem.malformed("limit must be within 1…1000") }
        return limit
    }

    var hlcNow: Components.Schemas.HLC {
        let now = hlc.now()
        return .init(wall: now.wall, counter: now.counter)
    }

    /// One of an enumeration's raw values, named in the problem when it is not (a query parameter answers 400
    /// `malformed-request`, a body field 422 `validation`).
    func choice<T: RawRepresentable & CaseIterable>(
        _ text: String?,
        _ name: String,
        problem: (String) -> APIProblem = APIProblem.malformed
    ) throws -> T? where T.RawValue == String {
        guard let text else { return nil }
        guard let value = T(rawValue: text) else {
            throw problem("\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// A date query parameter, `YYYY-MM-DD`; a 400 naming it when it is not one.
    func queryDate(_ text: String?, _ name: String) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let date = CalendarDate(text) else { throw APIProblem.malformed("\(name) must be a date, YYYY-MM-DD") }
        return date
    }
}

extension Page {
    /// The page's items as a generated list element type, built from each item's API JSON.
    func generated<T: Decodable>(_ json: (Element) -> [String: JSONValue]) throws -> [T] {
        try items.map { try GeneratedModel.make(json($0)) }
    }
}
