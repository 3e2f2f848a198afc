import Foundation
import Hummingbird
import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitTestSupport
import Testing

@testable import RevisitServer
@testable import RevisitStore

/// The pull is served by a responder that passes stored JSON through; it must answer exactly what the spec's
/// generated `PullResponse` type encodes for the same page (the reference is built here, from the generated types).
@Suite("Pull responder")
struct PullResponderTests {
    /// A page as the spec's generated types write it.
    static func reference(_ page: PullPage, hlc: HLC) throws -> JSONValue {
        let response = Components.Schemas.PullResponse(
            changes: page.changes.map { change in
                Components.Schemas.Change(
                    entity: change.entity,
                    entityId: change.entityId,
                    version: change.version,
                    deleted: change.deleted,
                    fields: OpenAPIObjectContainer(change.fields)
                )
            },
            cursor: page.cursor,
            hasMore: page.hasMore,
            hlc: .init(wall: hlc.wall, counter: hlc.counter)
        )
        return try JSONValue.parse(JSONEncoder().encode(response))
    }

    @Test("the fast pull answers what the generated PullResponse encodes for the same page, page by page")
    func sameAnswer() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            let scenario = Scenario()
            var mutations = scenario.create(on: &tablet)
            mutations.append(
                tablet.mutation("customer", UUID().uuidString, ["name": "Zoë \"Z\" \\ Ünal\n", "phone": "+31"])
            )
            mutations.append(tablet.mutation("customer", scenario.customer, [:], base: 1, op: "delete"))
            _ = try await tablet.push(mutations)
            let principal = try #require(try await server.store.authenticate(token: tablet.api.token ?? ""))
            var cursor: String?
            var pages = 0
            repeat {
                let query = cursor.map { "?limit=2&since=\($0)" } ?? "?limit=2"
                let answer = try await tablet.api.get("/v1/sync/pull" + query)
                #expect(answer.status == 200)
                // The spec's decoder reads the fast answer ...
                let decoded = try JSONDecoder().decode(Components.Schemas.PullResponse.self, from: Data(answer.bytes))
                // ... and it is what the spec's types write for the same page.
                let page = try await server.store.pull(tenantId: principal.tenantId, since: cursor, limit: 2)
                let hlc = HLC(wall: decoded.hlc.wall, counter: decoded.hlc.counter)
                let generated = try Self.reference(page, hlc: hlc)
                #expect(answer.json.sameValue(as: generated), "\(answer.json)\n\(generated)")
                pages += 1
                cursor = answer.object["cursor"]?.stringValue
                if answer.object["hasMore"] != true { break }
            } while true
            #expect(pages > 2)
        }
    }

    @Test("the encoder writes escapes, deletes, empty pages and the HLC as the generated types do")
    func encoderAlone() throws {
        let hlc = HLC(wall: 1_764_000_000_000, counter: 7)
        let pages = [
            PullPage(changes: [], cursor: "0", hasMore: false),
            PullPage(
                changes: [
                    Change(
                        entity: "customer",
                        entityId: "0193a0c4-7f1e-7cc2-9d35-3b1f1e9d2a01",
                        version: 12,
                        deleted: false,
                        fieldsJSON: #"{"name":"Zoë \"Z\" \\ \n\u0001","n":[1,2.5,null,{"x":true}]}"#
                    ),
                    Change(entity: "item", entityId: "a/b\"c", version: 13, deleted: true, fieldsJSON: "{}"),
                ],
                cursor: "13\"",
                hasMore: true
            ),
        ]
        for page in pages {
            let fast = try JSONValue.parse(Data(PullResponder<BasicRequestContext>.encode(page, hlc: hlc)))
            #expect(fast.sameValue(as: try Self.reference(page, hlc: hlc)), "\(fast)")
        }
    }
}
