import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

/// The customer's review page over HTTP, as a phone without JavaScript uses it (DESIGN section 13); the same suite
/// runs on PostgreSQL in the second pass.
@Suite("The customer's review page")
struct ReviewPageTests {
    static let choices: [(String, String)] = [
        ("decision.brake_pads_front", "declined"), ("reason.brake_pads_front", "price"),
        ("decision.tyre_front_left", "deferred"), ("signature", "Anna de Vries"), ("consent", "yes"),
    ]

    @Test("open, choose, sign: the choices, the signature and the follow-ups in one step; read-only afterwards")
    func reviewFlow() async throws {
        try await TestServer.with { server in
            var shop = try await ReviewWorkshop(server)
            try await shop.prepare()
            let link = try await shop.link()
            var phone = Browser(server)

            let page = try await phone.get(link.path)
            #expect(page.status == 200 && page.hasPageHeaders)
            #expect(page.contentType.hasPrefix("text/html"))
            #expect(page.html.contains(#"id="review""#))
            for code in ["brake_pads_front", "tyre_front_left"] {
                #expect(page.html.contains(#"data-item-code="\#(code)""#))
                #expect(page.html.contains(#"name="decision.\#(code)""#))
            }
            #expect(!page.html.contains(#"name="decision.lights""#), "fine items are shown, not asked about")
            #expect(page.html.contains("/photos/\(shop.photoHash)") && page.html.contains(#"loading="lazy""#))
            let cookie = try #require(page.headers.first(name: "Set-Cookie"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let csrf = try #require(Browser.csrf(in: page))

            // A missing choice and signature: the form again, marked, and nothing written.
            let missing = try await phone.post(link.path, [("csrf", csrf), ("decision.brake_pads_front", "approved")])
            #expect(missing.status == 400 && missing.hasPageHeaders && missing.html.contains(#"id="review""#))
            #expect(missing.html.contains("is-invalid") && missing.html.contains(#"aria-invalid="true""#))
            #expect(try await shop.inspection()["state"] == "completed")
            let declinedWithoutReason = try await phone.post(
                link.path,
                [
                    ("csrf", csrf), ("decision.brake_pads_front", "declined"), ("decision.tyre_front_left", "deferred"),
                    ("signature", "Anna"),
                ]
            )
            #expect(declinedWithoutReason.status == 400)
            #expect(try await shop.inspection()["review"] == nil)

            let sent = try await phone.post(link.path, [("csrf", csrf)] + Self.choices)
            #expect(sent.status == 303 && sent.headers.first(name: "Location") == link.path && sent.hasPageHeaders)
            let done = try await phone.get(link.path)
            #expect(done.status == 200 && done.html.contains(#"id="review-done""#))
            #expect(!done.html.contains(#"id="review""#), "read-only afterwards")

            let inspection = try await shop.inspection()
            #expect(inspection["state"] == "closed")
            let review = try #require(inspection["review"]?.objectValue)
            #expect(review["signedName"] == "Anna de Vries" && review["linkId"] == .string(link.id))
            let items = inspection["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let pads = try #require(items.first { $0["code"] == "brake_pads_front" })
            #expect(pads["customerDecision"] == "declined" && pads["declineReason"] == "price")
            #expect(items.first { $0["code"] == "tyre_front_left" }?["customerDecision"] == "deferred")
            let customer = try await shop.admin.get("/v1/customers/\(shop.scenario.customer)")
            #expect(customer["contactConsent"] == true)

            let followups = try await shop.admin.get("/v1/followups?vehicleId=\(shop.scenario.vehicle)")
            let codes = Set(followups["data"]?.arrayValue?.compactMap { $0.objectValue?["code"]?.stringValue } ?? [])
            #expect(codes == ["brake_pads_front", "tyre_front_left"], "made at once, in the same transaction")

            let events = try await shop.admin.get("/v1/events?limit=100")["data"]?.arrayValue ?? []
            let types = events.compactMap { $0.objectValue?["type"]?.stringValue }
            #expect(types.contains("review.requested") && types.contains("review.completed"))
            let completed = try #require(events.compactMap(\.objectValue).first { $0["type"] == "review.completed" })
            let data = completed["data"]?.objectValue ?? [:]
            #expect(data["signedName"] == "Anna de Vries" && data["inspectionId"] == .string(shop.scenario.inspection))
            #expect(data["approvedTotal"]?.objectValue?["amount"] == 0)
            let requested = try #require(events.compactMap(\.objectValue).first { $0["type"] == "review.requested" })
            #expect(requested["data"]?.objectValue?["customer"]?.objectValue?["name"] == "J. de Vries")

            let again = try await phone.post(link.path, [("csrf", csrf)] + Self.choices)
            #expect(again.status == 409 && again.hasPageHeaders, "a second submission")
            let listed = try await shop.tablet.api.get("/v1/inspections/\(shop.scenario.inspection)/review-links")
            let record = try #require(listed["data"]?.arrayValue?.first?.objectValue)
            #expect(
                record["openedAt"] != .null && record["completedAt"] != .null && (record["revokedAt"] ?? .null) == .null
            )
        }
    }

    @Test("a form without its session or with a wrong CSRF token is shown again and writes nothing")
    func csrf() async throws {
        try await TestServer.with { server in
            var shop = try await ReviewWorkshop(server)
            try await shop.prepare()
            let link = try await shop.link()
            var phone = Browser(server)
            let csrf = try #require(Browser.csrf(in: try await phone.get(link.path)))

            var stranger = Browser(server)
            let forged = try await stranger.post(link.path, [("csrf", csrf)] + Self.choices)
            #expect(forged.status == 400 && forged.html.contains(#"id="review""#), "no session cookie")
            let wrong = try await phone.post(link.path, [("csrf", String(csrf.reversed()))] + Self.choices)
            #expect(wrong.status == 400)
            #expect(try await shop.inspection()["state"] == "completed")
            // The page shown again carries a fresh session, with which the customer can send.
            let retry = try #require(Browser.csrf(in: forged))
            #expect(try await stranger.post(link.path, [("csrf", retry)] + Self.choices).status == 303)
        }
    }

    @Test("expired, revoked and closed-meanwhile links answer 410; unknown tokens 404; other ids and roles refused")
    func goneAndRefused() async throws {
        try await TestServer.with { server in
            var shop = try await ReviewWorkshop(server)
            try await shop.prepare(complete: false)
            let early = try await shop.tablet.api.send(
                .POST,
                "/v1/inspections/\(shop.scenario.inspection)/review-links"
            )
            #expect(early.isProblem(409, "invalid-transition"), "only a completed inspection gets a link")
            #expect(
                try await shop.tablet.api.send(.POST, "/v1/inspections/\(UUID().uuidString.lowercased())/review-links")
                    .isProblem(404, "not-found")
            )
            let integration = API(baseURL: server.baseURL, token: try await server.token("acme", .integration))
            #expect(
                try await integration.send(.POST, "/v1/inspections/\(shop.scenario.inspection)/review-links")
                    .isProblem(403, "forbidden")
            )
            let forged = try await shop.tablet.push([
                shop.tablet.mutation(
                    "inspection",
                    shop.scenario.inspection,
                    ["review": ["signedName": "Nobody", "signedAt": "2026-03-02T10:00:00Z", "linkId": "rvl_x"]],
                    base: 3
                )
            ])
            let rejected = forged["results"]?.arrayValue?.first?.objectValue
            #expect(rejected?["status"] == "rejected", "a tablet cannot sign for the customer")
            let push = try await shop.tablet.push([
                shop.tablet.mutation("inspection", shop.scenario.inspection, ["state": "completed"], base: 3)
            ])
            #expect(push.status == 200)

            var phone = Browser(server)
            let revoked = try await shop.link()
            #expect(try await shop.tablet.api.send(.DELETE, "/v1/review-links/\(revoked.id)").status == 204)
            let revokedPage = try await phone.get(revoked.path)
            #expect(revokedPage.status == 410 && revokedPage.hasPageHeaders)
            #expect(try await shop.admin.send(.DELETE, "/v1/review-links/rvl_nothing").isProblem(404, "not-found"))

            let expiring = try await shop.link()
            server.clock.advance(by: 8 * 86_400)
            #expect(try await phone.get(expiring.path).status == 410, "reviewLinkDays is 7 by default")

            let closing = try await shop.link()
            #expect(try await phone.get(closing.path).status == 200)
            let csrf = try #require(Browser.csrf(in: try await phone.get(closing.path)))
            _ = try await shop.tablet.push([
                shop.tablet.mutation("inspection", shop.scenario.inspection, ["state": "closed"], base: 0)
            ])
            #expect(try await phone.post(closing.path, [("csrf", csrf)] + Self.choices).status == 410)
            #expect(try await phone.get(closing.path).status == 410)

            let unknown = try await phone.get("/r/" + String(repeating: "A", count: 43))
            #expect(unknown.status == 404 && unknown.hasPageHeaders && unknown.contentType.hasPrefix("text/html"))
            #expect(try await phone.get("/r/short").status == 404)
        }
    }

    @Test("photos only of the link's own inspection; a link never reaches another tenant")
    func photosAndTenants() async throws {
        try await TestServer.with { server in
            var shop = try await ReviewWorkshop(server)
            try await shop.prepare()
            let link = try await shop.link()
            var phone = Browser(server)
            let own = try await phone.get(link.path + "/photos/\(shop.photoHash)")
            #expect(own.status == 200 && own.bytes == shop.photo && own.contentType == "image/png")
            #expect(own.headers.first(name: "X-Content-Type-Options") == "nosniff")

            // Another inspection's photo, and another tenant's, are not this link's.
            var other = try await ReviewWorkshop(server, tenant: "elsewhere")
            try await other.prepare()
            let foreign: [UInt8] = [0xFF, 0xD8, 0xFF, 1, 2, 3]
            let foreignHash = AttachmentAndHorizonTests.sha(foreign)
            _ = try await shop.tablet.api.send(
                .PUT,
                "/v1/attachments/\(foreignHash)",
                raw: foreign,
                contentType: "image/jpeg"
            )
            #expect(try await phone.get(link.path + "/photos/\(foreignHash)").status == 404)
            let otherLink = try await other.link()
            #expect(try await phone.get(otherLink.path + "/photos/\(shop.photoHash)").status == 200, "its own copy")
            #expect(
                try await other.tablet.api.get("/v1/inspections/\(shop.scenario.inspection)/review-links")
                    .isProblem(404, "not-found")
            )
            #expect(try await other.tablet.api.send(.DELETE, "/v1/review-links/\(link.id)").isProblem(404, "not-found"))
            #expect(try await phone.get(link.path).status == 200, "still open: the other tenant could not revoke it")
        }
    }

    @Test("more than 30 unknown tokens a minute from one address answer 429")
    func guessing() async throws {
        try await TestServer.with { server in
            var phone = Browser(server)
            for _ in 0..<30 {
                #expect(try await phone.get("/r/" + WebSecretForTests.random()).status == 404)
            }
            let limited = try await phone.get("/r/" + WebSecretForTests.random())
            #expect(limited.status == 429 && limited.headers.first(name: "Retry-After") != nil)
            server.clock.advance(by: 61)
            #expect(try await phone.get("/r/" + WebSecretForTests.random()).status == 404)
        }
    }

    @Test("static files carry their version and the page's security headers")
    func assets() async throws {
        try await TestServer.with { server in
            var shop = try await ReviewWorkshop(server)
            try await shop.prepare()
            var phone = Browser(server)
            let page = try await phone.get(try await shop.link().path)
            for name in ["review.css", "review.js"] {
                let pattern = "/assets/\(name)?v="
                #expect(page.html.contains(pattern))
                let asset = try await phone.get("/assets/\(name)")
                #expect(asset.status == 200 && asset.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
            #expect(try await phone.get("/assets/nothing.js").status == 404)
            #expect(!page.html.contains("<script>") && !page.html.contains("style=\""), "no inline code")
        }
    }
}

enum WebSecretForTests {
    static func random() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<43).map { _ in alphabet.randomElement()! })
    }
}
