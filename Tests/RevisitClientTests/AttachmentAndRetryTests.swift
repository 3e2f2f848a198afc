import Foundation
import RevisitClient
import RevisitModel
import RevisitTestSupport
import Testing

@Suite("Attachments, retries and refusals")
struct AttachmentAndRetryTests {
    @Test("a photo is uploaded once (HEAD, then PUT only when missing) and referenced by its item")
    func photoUploadedOnce() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let b = try await ClientFixture.make(on: server)
            let photo = try PhotoFixture.write(seed: 7)
            let bytes = try Data(contentsOf: photo)
            let id = try await a.startInspection()
            let item = try await a.client.setItem(id, code: "wipers", ItemChange(status: .now, photoFiles: [photo]))
            let sha = try #require(item.photos.first)
            #expect(item.photos.count == 1)
            #expect(try await a.client.status().pendingAttachments == 1)
            // The photo is kept in the store: the file may go away before the sync.
            try FileManager.default.removeItem(at: photo)

            a.transport.reset()
            let summary = try await a.client.syncNow()
            #expect(summary.uploaded == 1)
            let requests = a.transport.sent.map(\.operation)
            #expect(requests.prefix(3) == ["headAttachment", "putAttachment", "syncPush"])
            #expect(try await a.client.status().pendingAttachments == 0)

            let api = API(baseURL: server.baseURL, token: a.token)
            let items = try await api.items(ofInspection: id)
            #expect(items["wipers"]?["photos"] == [.string(sha)])
            let download = try await api.get("/v1/attachments/\(sha)")
            #expect(download.status == 200 && Data(download.bytes) == bytes)

            // Another tablet attaches the same bytes: the server has them, so HEAD and no PUT.
            try await b.client.syncNow()
            let copy = FileManager.default.temporaryDirectory.appending(path: "same-\(UUID().uuidString).jpg")
            try bytes.write(to: copy)
            try await b.client.setItem(id, code: "windscreen", ItemChange(status: .later, photoFiles: [copy]))
            b.transport.reset()
            let second = try await b.client.syncNow()
            #expect(second.uploaded == 0)
            #expect(b.transport.sent("headAttachment").count == 1)
            #expect(b.transport.sent("putAttachment").isEmpty)

            // Nothing to upload the next time.
            a.transport.reset()
            try await a.client.syncNow()
            #expect(a.transport.sent("headAttachment").isEmpty && a.transport.sent("putAttachment").isEmpty)
        }
    }

    @Test("503 and 429 are retried with backoff, honouring Retry-After")
    func transientFailuresAreRetried() async throws {
        try await TestServer.with { server in
            let tablet = try await ClientFixture.make(on: server)
            let id = try await tablet.startInspection()
            tablet.transport.fail("syncPush", with: .status(503, ["Retry-After": "0"]), .status(429, [:]))
            tablet.transport.fail("syncPull", with: .status(500, [:]))
            var retries: [String] = []
            var finished = false
            for try await event in tablet.client.sync() {
                if case .retrying(_, _, let reason) = event { retries.append(reason) }
                if case .finished = event { finished = true }
            }
            #expect(finished)
            #expect(retries.count == 3)
            #expect(retries.first?.contains("503") == true)
            #expect(tablet.transport.sent("syncPush").count == 3)
            #expect(try await tablet.client.status().pending == 0)
            #expect(try await tablet.client.inspection(id).version != nil)
        }
    }

    @Test("after the last retry the sync fails as unreachable and keeps everything")
    func unreachableKeepsEverything() async throws {
        try await TestServer.with { server in
            let tablet = try await ClientFixture.make(
                on: server,
                retry: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(5), maxDelay: .milliseconds(5))
            )
            _ = try await tablet.startInspection()
            tablet.transport.fail("syncPush", with: .networkError, .status(502, [:]))
            let error = await #expect(throws: RevisitClientError.self) { try await tablet.client.syncNow() }
            #expect(error?.code == .serverUnreachable)
            #expect(tablet.transport.sent("syncPush").count == 2)
            #expect(try await tablet.client.status().pending == 2)
            #expect(try await tablet.client.syncNow().applied == 2)
        }
    }

    @Test("a refused token fails login and sync with tokenRefused")
    func refusedToken() async throws {
        try await TestServer.with { server in
            let client = try RevisitClient(storePath: ClientFixture.temporaryStorePath())
            let error = await #expect(throws: RevisitClientError.self) {
                try await client.login(serverURL: URL(string: server.baseURL)!, token: "rvt_not_a_token")
            }
            #expect(error?.code == .tokenRefused)
            let integration = try await server.token("acme", .integration)
            let forbidden = await #expect(throws: RevisitClientError.self) {
                try await client.login(serverURL: URL(string: server.baseURL)!, token: integration)
            }
            #expect(forbidden?.code == .tokenRefused)
            try await client.setServer(URL(string: server.baseURL)!, token: "rvt_not_a_token")
            let syncError = await #expect(throws: RevisitClientError.self) { try await client.syncNow() }
            #expect(syncError?.code == .tokenRefused)
        }
    }

    @Test("unknown item codes are refused offline with the nearest codes")
    func unknownItemCode() async throws {
        try await TestServer.with { server in
            let tablet = try await ClientFixture.make(on: server)
            let id = try await tablet.startInspection()
            let error = await #expect(throws: RevisitClientError.self) {
                try await tablet.client.setItem(id, code: "brake_pad_front", ItemChange(status: .ok))
            }
            #expect(error?.code == .unknownItemCode)
            #expect(error?.suggestions.first == "brake_pads_front")
            let invalid = await #expect(throws: RevisitClientError.self) {
                try await tablet.client.setItem(id, code: "horn", ItemChange(note: String(repeating: "x", count: 2001)))
            }
            #expect(invalid?.code == .invalidValue)
            #expect(try await tablet.client.status().pending == 2)
        }
    }
}
