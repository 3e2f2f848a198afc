import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

/// The outbox across a crash, with the real binary and the real clock: the webhook signatures are checked by the
/// official Python `standardwebhooks` library, which refuses timestamps more than 5 minutes off.
@Suite("Deliveries across kill -9", .serialized)
struct DeliveryCrashTests {
    static let flags = ["--allow-private-webhooks", "--webhook-retry-schedule", "1s,1s,1s,1s,1s,1s,1s,1s"]

    @Test("kill -9 after a close but before delivery: the restarted server delivers exactly the committed events")
    func killAfterClose() async throws {
        let receiver = try await WebhookReceiver.start { _, _ in 503 }
        let server = try ServerProcess()
        defer { server.cleanUp() }
        let adminToken = try server.createToken(role: "admin")
        let deviceToken = try server.createToken()
        try await server.start(Self.flags)
        let admin = API(baseURL: server.baseURL, token: adminToken)
        let created = try await admin.post("/v1/webhook-endpoints", ["url": .string(receiver.url)])
        let secret = try #require(created["secret"]?.stringValue)

        var tablet = Tablet(API(baseURL: server.baseURL, token: deviceToken))
        let scenario = Scenario()
        var mutations = scenario.create(on: &tablet)
        mutations.append(tablet.mutation("inspection", scenario.inspection, ["state": "completed"], base: 3))
        mutations.append(tablet.mutation("inspection", scenario.inspection, ["state": "closed"], base: 5))
        let pushed = try await tablet.push(mutations)
        #expect(pushed.status == 200)
        server.kill()

        receiver.answer { _, _ in 204 }
        let beforeRestart = receiver.requests.count
        try await server.start(Self.flags)
        let restarted = API(baseURL: server.baseURL, token: adminToken)
        let feed = try await restarted.get("/v1/events?limit=1000")
        let committed = Set(feed["data"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } ?? [])
        #expect(committed.count >= 3, "completed, closed and the pads' follow-up")
        try await eventually("every committed event delivered after the restart", timeout: .seconds(30)) {
            Set(receiver.requests.dropFirst(beforeRestart).map(\.id)).isSuperset(of: committed)
        }
        #expect(Set(receiver.requests.map(\.id)) == committed, "nothing that did not commit")
        let lastAttempts = Array(receiver.requests.dropFirst(beforeRestart))
        try Self.verifyWithPython(lastAttempts, secret: secret)
        server.kill()
        await receiver.stop()
    }

    /// Runs the official verifier over the requests the receiver recorded.
    static func verifyWithPython(_ requests: some Collection<WebhookReceiver.Received>, secret: String) throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "webhooks-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let payload = requests.map {
            [
                "id": $0.id, "timestamp": $0.timestamp, "signature": $0.signature,
                "body": String(decoding: $0.body, as: UTF8.self),
            ]
        }
        try JSONSerialization.data(withJSONObject: ["secret": secret, "requests": payload]).write(to: file)
        let script = """
            import json, sys
            from standardwebhooks.webhooks import Webhook
            spec = json.load(open(sys.argv[1]))
            hook = Webhook(spec["secret"])
            for r in spec["requests"]:
                hook.verify(r["body"], {"webhook-id": r["id"], "webhook-timestamp": r["timestamp"],
                                        "webhook-signature": r["signature"]})
            print("verified", len(spec["requests"]))
            """
        let (status, text) = try PythonTool.run(["-c", script, file.path])
        #expect(
            status == 0,
            "the standardwebhooks library refused a delivery (scripts/test.sh installs it and sets REVISIT_PYTHON): \(text)"
        )
        #expect(text.contains("verified \(requests.count)"), "\(text)")
    }
}
