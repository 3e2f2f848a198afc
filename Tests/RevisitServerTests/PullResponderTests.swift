import Foundation
import Logging
import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore
import RevisitTestSupport
import Testing

@testable import RevisitServer

/// The pull is served by a responder that passes stored JSON through; it must answer exactly what the generated
/// handler (the spec's types) answers.
@Suite("Pull responder")
struct PullResponderTests {
    @Test("the fast pull and the generated handler give the same JSON, page by page")
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
            let api = APIImplementation(
                store: server.store,
                hlc: ServerHLC(clock: server.clock),
                attachments: try FileAttachmentBlobs(root: server.directory.appending(path: "x")),
                configuration: ServerConfiguration()
            )
            var cursor: String?
            repeat {
                let query = cursor.map { "?limit=2&since=\($0)" } ?? "?limit=2"
                let fast = try await tablet.api.get("/v1/sync/pull" + query).json
                let output = try await RequestInfo.$current.withValue(
                    RequestInfo(principal: principal, logger: Logger(label: "test"))
                ) {
                    try await api.syncPull(.init(query: .init(since: cursor, limit: 2)))
                }
                let generated = try JSONValue.parse(JSONEncoder().encode(try output.ok.body.json))
                var a = fast.objectValue ?? [:]
                var b = generated.objectValue ?? [:]
                a["hlc"] = nil
                b["hlc"] = nil
                #expect(JSONValue.object(a).sameValue(as: .object(b)), "\(a)\n\(b)")
                #expect(fast.objectValue?["hlc"]?.objectValue?["wall"]?.intValue != nil)
                cursor = fast.objectValue?["cursor"]?.stringValue
                if fast.objectValue?["hasMore"] != true { break }
            } while true
        }
    }
}
