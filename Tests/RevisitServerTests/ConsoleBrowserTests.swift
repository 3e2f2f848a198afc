import Foundation
import RevisitModel
import RevisitStore
import RevisitTestSupport
import Testing

/// The console in a real browser: Debian's chromium driven by `Tests/browser/console_flow.py`, on a desktop and a
/// tablet. The screenshots stay in a temporary folder named in the test's output, to be looked at.
@Suite("The workshop console in a browser", .serialized)
struct ConsoleBrowserTests {
    static let screenshots = FileManager.default.temporaryDirectory.appending(path: "revisit-console-screenshots")

    @Test(
        "sign in, record a call with the mileage, see the reports' charts, replay a webhook; the API shows the outcome"
    )
    func serviceDesk() async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
            "the browser tests need Debian's chromium and chromium-driver: run scripts/install-deps.sh"
        )
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await TestServer.with(WebhookEndToEndTests.configure) { server in
            var shop = try await FollowUpEndToEndTests.Workshop(server)
            let hook = try await shop.admin.post(
                "/v1/webhook-endpoints",
                ["url": .string(receiver.url), "events": ["*"]]
            )
            #expect(hook.status == 201)
            _ = try await shop.admin.send(.PATCH, "/v1/settings", json: ["workshopName": "Northside Motors"])
            try await shop.closeInspection()
            let customer = "/v1/customers/\(shop.scenario.customer)"
            #expect(try await shop.integration.send(.PATCH, customer, json: ["phone": "+31 6 12345678"]).status == 200)
            server.clock.set(RFC3339DateTime.date(from: "2026-04-30T12:00:00Z")!)
            let pads = try #require(try await shop.followups()["brake_pads_front"]?["id"]?.stringValue)
            try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
            let arguments = [
                OpenAPISpecTests.packageRoot.appending(path: "Tests/browser/console_flow.py").path,
                "--base", server.baseURL, "--token", try await server.token("acme", .admin), "--month", "2026-06",
                "--followup", pads, "--mileage", "87410", "--out", Self.screenshots.path,
            ]
            var (status, output) = try await PythonTool.runAsync(arguments)
            // A loaded machine's chromium can time out talking to its renderer; once again when nothing was written.
            if status != 0, output.contains("Timed out receiving message from renderer"),
                try await shop.integration.get("/v1/followups/\(pads)")["state"] != "contacted"
            {
                (status, output) = try await PythonTool.runAsync(arguments)
            }
            print("console screenshots: \(Self.screenshots.path)")
            let report = output.split(separator: "\n").last.flatMap { try? JSONValue.parse(Data($0.utf8)) }
            #expect(status == 0 && report?.objectValue?["ok"] == true, "the browser run failed: \(output)")
            let after = try await shop.integration.get("/v1/followups/\(pads)")
            #expect(after["state"] == "contacted" && after["dueDate"] == "2026-05-07", "\(after.json)")
        }
    }
}
