import Foundation
import Hummingbird
import RevisitAPI
import RevisitModel
import RevisitStore
import RevisitTestSupport
import Testing

@testable import RevisitServer

/// Push and pull have one path each, the fast responders; the generated handlers exist only because `APIProtocol`
/// requires them, and answer a logged 500 if anything reaches them. So a 200 here is the fast path's.
@Suite("One hot path per route")
struct HotPathTests {
    @Test(
        "pushes and pulls, also at the spellings the router accepts (/v1/sync/push/, //v1/sync//pull), are answered by the fast responders"
    )
    func productionGoesFast() async throws {
        try await TestServer.with { server in
            var tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token()))
            for path in ["/v1/sync/push", "/v1/sync/push/", "//v1/sync//push"] {
                let mutation = tablet.mutation("customer", UUID().uuidString.lowercased(), ["name": "A"])
                let body = JSONValue.object(["clientId": .string(tablet.clientId), "mutations": .array([mutation])])
                let answer = try await tablet.api.post(path, body)
                #expect(answer.status == 200, "\(path): \(answer.status) \(answer.json)")
                #expect(
                    answer.object["results"]?.arrayValue?.first?.objectValue?["status"]?.stringValue == "applied",
                    "\(path)"
                )
            }
            for path in ["/v1/sync/pull", "/v1/sync/pull/", "//v1/sync//pull"] {
                let answer = try await tablet.api.get(path + "?limit=10")
                #expect(answer.status == 200, "\(path): \(answer.status) \(answer.json)")
                #expect(answer.object["changes"]?.arrayValue?.count == 3, "\(path)")
            }
        }
    }

    @Test("the generated push and pull handlers are unreachable by design: called directly they throw")
    func generatedHandlersThrow() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "revisit-hot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = ServerConfiguration()
        let api = APIImplementation(
            store: try SQLiteSyncStore(
                path: directory.appending(path: "db.sqlite").path,
                clock: configuration.clock,
                hlc: ServerHLC(clock: configuration.clock)
            ),
            hlc: ServerHLC(clock: configuration.clock),
            attachments: try FileAttachmentBlobs(root: directory.appending(path: "files")),
            configuration: configuration
        )
        await #expect(throws: FastPathBypassed.self) {
            _ = try await api.syncPull(.init(query: .init(since: nil, limit: nil)))
        }
        await #expect(throws: FastPathBypassed.self) {
            _ = try await api.syncPush(.init(body: .json(.init(clientId: UUID().uuidString, mutations: []))))
        }
        let bypass = FastPathBypassed(operation: "syncPush", responder: "PushResponder")
        let problem = ProblemMiddleware<BasicRequestContext>.problem(for: bypass, request: ProblemMappingTests.request)
        #expect(problem.status == .internalServerError && problem.type == "internal")
    }
}
