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
            let link = try await shop.link()
            let out = Self.screenshots.appending(path: javaScript ? "en-js" : "nl-no-js")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            var arguments = [
                OpenAPISpecTests.packageRoot.appending(path: "Tests/browser/review_flow.py").path,
                "--url", server.baseURL + link.path, "--out", out.path, "--signature", "Anna de Vries",
                "--decisions", #"{"brake_pads_front": "approved", "tyre_front_left": "declined:competitor"}"#,
                "--consent",
            ]
            if !javaScript { arguments.append("--no-js") }
            let (status, output) = try PythonTool.run(arguments)
            print("review page screenshots: \(out.path)")
            let report = output.split(separator: "\n").last.flatMap { try? JSONValue.parse(Data($0.utf8)) }
            #expect(status == 0 && report?.objectValue?["ok"] == true, "the browser run failed: \(output)")
            if javaScript {
                let before = report?.objectValue?["totalBefore"]?.stringValue
                let after = report?.objectValue?["totalAfter"]?.stringValue
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
}
