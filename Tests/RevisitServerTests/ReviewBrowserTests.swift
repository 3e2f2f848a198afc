import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

/// The review page in a real browser: Debian's chromium, driven by `Tests/browser/review_flow.py` (Selenium with
/// Debian's chromedriver, no downloads) at a phone's size, with and without JavaScript, in English and Dutch. The
/// screenshots stay in a temporary folder named in the test's output, to be looked at.
@Suite("The review page in a browser", .serialized)
struct ReviewBrowserTests {
    static let screenshots = FileManager.default.temporaryDirectory.appending(path: "revisit-review-screenshots")

    @Test("a customer chooses, signs and sends on a phone; the API shows the result", arguments: [false, true])
    func customerOnAPhone(javaScript: Bool) async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
            "the browser tests need Debian's chromium and chromium-driver: run scripts/install-deps.sh"
        )
        try await TestServer.with { server in
            var shop = try await ReviewWorkshop(server)
            if !javaScript {
                let patch = try await shop.admin.send(
                    .PATCH,
                    "/v1/settings",
                    json: ["locale": "nl", "workshopName": "Garage De Vries", "workshopPhone": "+31 20 123 4567"]
                )
                #expect(patch.status == 200)
            } else {
                _ = try await shop.admin.send(.PATCH, "/v1/settings", json: ["workshopName": "Northside Motors"])
            }
            try await shop.prepare()
            let out = Self.screenshots.appending(path: javaScript ? "en-js" : "nl-no-js")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            // A browser on a loaded machine can time out talking to its own renderer; that attempt is run again on a
            // new link when it wrote nothing, so a slow CI machine does not read as a broken page.
            var (status, output, report) = try await run(shop, out: out, javaScript: javaScript)
            if status != 0, output.contains("Timed out receiving message from renderer"),
                try await shop.inspection()["state"] == "completed"
            {
                (status, output, report) = try await run(shop, out: out, javaScript: javaScript)
            }
            print("review page screenshots: \(out.path)")
            #expect(status == 0 && report?["ok"] == true, "the browser run failed: \(output)")
            if javaScript {
                let before = report?["totalBefore"]?.stringValue
                let after = report?["totalAfter"]?.stringValue
                #expect(before != nil && before != after, "the approved total follows the choices: \(output)")
            }

            let inspection = try await shop.inspection()
            #expect(inspection["state"] == "closed")
            #expect(inspection["review"]?.objectValue?["signedName"] == "Anna de Vries")
            let items = inspection["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(items.first { $0["code"] == "brake_pads_front" }?["customerDecision"] == "approved")
            let tyre = items.first { $0["code"] == "tyre_front_left" }
            #expect(tyre?["customerDecision"] == "declined" && tyre?["declineReason"] == "competitor")
            let customer = try await shop.admin.get("/v1/customers/\(shop.scenario.customer)")
            #expect(customer["contactConsent"] == true)
        }
    }

    /// One run of the browser driver on a new link: its exit status, its output and its report.
    private func run(
        _ shop: ReviewWorkshop,
        out: URL,
        javaScript: Bool
    ) async throws -> (Int32, String, [String: JSONValue]?) {
        let link = try await shop.link()
        var arguments = [
            OpenAPISpecTests.packageRoot.appending(path: "Tests/browser/review_flow.py").path,
            "--url", shop.server.baseURL + link.path, "--out", out.path, "--signature", "Anna de Vries",
            "--decisions", #"{"brake_pads_front": "approved", "tyre_front_left": "declined:competitor"}"#,
            "--consent",
        ]
        if !javaScript { arguments.append("--no-js") }
        let (status, output) = try await PythonTool.runAsync(arguments)
        let report = output.split(separator: "\n").last.flatMap { try? JSONValue.parse(Data($0.utf8)) }
        return (status, output, report?.objectValue)
    }
}
