import Foundation
import RevisitModel
import RevisitStore
import RevisitTestSupport
import Testing

/// The workshop console over HTTP (DESIGN section 14): sign-in with an admin token, the call list and its outcome
/// forms, sessions and CSRF. The shared workshop's inspection (2 March 2026) leaves safety-critical wipers due on
/// 9 March and front pads due on 10 June.
@Suite("The workshop console")
struct ConsoleTests {
    typealias Workshop = FollowUpEndToEndTests.Workshop

    static func signIn(_ browser: inout Browser, token: String) async throws -> Answer {
        let login = try await browser.get("/console/login")
        let csrf = try #require(Browser.csrf(in: login))
        return try await browser.post("/console/login", [("csrf", csrf), ("token", token)])
    }

    @Test("sign in with an admin token, record a call on the month's list, download it, sign out")
    func callRound() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            // The service desk works on 30 April, through the lists of the months around it.
            server.clock.set(RFC3339DateTime.date(from: "2026-04-30T12:00:00Z")!)
            var browser = Browser(server)
            let away = try await browser.get("/console/followups")
            #expect(away.status == 303 && away.headers.first(name: "location") == "/console/login")
            let login = try await browser.get("/console/login")
            #expect(login.status == 200 && login.hasPageHeaders && login.html.contains(#"name="token""#))

            for (role, status) in [(Role.device, 403), (.integration, 403)] {
                var other = Browser(server)
                let refused = try await Self.signIn(&other, token: try await server.token("acme", role))
                #expect(refused.status == status && refused.html.contains("console-error"), "\(role)")
            }
            var stranger = Browser(server)
            #expect(try await Self.signIn(&stranger, token: "rvt_00000000000000000000000000000000_nope").status == 401)

            let signedIn = try await Self.signIn(&browser, token: try await server.token("acme", .admin))
            #expect(signedIn.status == 303 && signedIn.headers.first(name: "location") == "/console/followups")
            let cookie = signedIn.headers.first(name: "set-cookie") ?? ""
            #expect(
                cookie.hasPrefix("revisit_console=") && cookie.contains("HttpOnly")
                    && cookie.contains("SameSite=Strict")
                    && cookie.contains("Path=/console") && cookie.contains("Max-Age=43200")
                    && !cookie.contains("Secure"),
                "\(cookie)"
            )

            let march = try await browser.get("/console/followups?month=2026-03")
            #expect(march.status == 200 && march.hasPageHeaders)
            #expect(march.headers.first(name: "server-timing")?.hasPrefix("app;dur=") == true, "the server's own time")
            #expect(march.html.components(separatedBy: #"data-test="call-row""#).count - 1 == 1)
            #expect(march.html.contains("Wiper blades") && march.html.contains("J. de Vries"))
            let june = try await browser.get("/console/followups?month=2026-06")
            let pads = try #require(try await shop.followups()["brake_pads_front"]?["id"]?.stringValue)
            #expect(june.html.contains("f-\(pads)") && june.html.contains("€180.00"))
            let csrf = try #require(Browser.csrf(in: june))
            #expect(!june.html.contains(#"name="outcome""#), "the list links each follow-up's form")
            let single = try await browser.get("/console/followups/\(pads)?month=2026-06")
            #expect(
                single.status == 200 && single.html.contains(#"name="outcome""#)
                    && single.html.contains("month=2026-06")
            )
            #expect(try await browser.get("/console/followups/\(UUID().uuidString)").status == 404)

            // The call on 30 April: the customer reads 87,410 km and has a new phone number.
            let saved = try await browser.post(
                "/console/followups/\(pads)/outcome",
                [
                    ("csrf", csrf), ("month", "2026-06"), ("outcome", "contacted"), ("odometer", "87.410"),
                    ("phone", "+31 6 12345678"), ("note", "calls back after the holiday"),
                ]
            )
            #expect(saved.status == 303, "\(saved.html)")
            #expect(saved.headers.first(name: "location") == "/console/followups?month=2026-06&saved=\(pads)")
            let after = try await shop.integration.get("/v1/followups/\(pads)")
            #expect(after["state"] == "contacted" && after["dueDate"] == "2026-05-07")
            #expect(after["outcome"]?.objectValue?["note"] == "calls back after the holiday")
            let customer = try await shop.integration.get("/v1/customers/\(shop.scenario.customer)")
            #expect(customer["phone"] == "+31 6 12345678")

            let forged = try await browser.post("/console/followups/\(pads)/outcome", [("outcome", "done")])
            #expect(forged.status == 403, "no CSRF token, nothing written")
            #expect(try await shop.integration.get("/v1/followups/\(pads)")["state"] == "contacted")
            let missingReason = try await browser.post(
                "/console/followups/\(pads)/outcome",
                [("csrf", csrf), ("outcome", "lost")]
            )
            #expect(missingReason.status == 422 && missingReason.html.contains("console-flash"))
            let foreign = try await browser.post(
                "/console/followups/\(UUID().uuidString.lowercased())/outcome",
                [("csrf", csrf), ("outcome", "done")]
            )
            #expect(foreign.status == 404)

            let export = try await browser.get("/console/followups/export.csv?month=2026-05")
            #expect(export.status == 200 && export.contentType == "text/csv; charset=utf-8")
            #expect(String(decoding: export.bytes, as: UTF8.self).contains("brake_pads_front"), "due in May now")

            #expect(try await browser.post("/console/logout", []).status == 403, "sign-out needs the form's token")
            let out = try await browser.post("/console/logout", [("csrf", csrf)])
            #expect(out.status == 303 && out.headers.first(name: "location") == "/console/login")
            #expect(try await browser.get("/console/followups").status == 303, "the session has ended")
        }
    }

    @Test("a session ends after 12 hours and with its token; failed sign-ins are limited; another tenant sees nothing")
    func sessions() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            var browser = Browser(server)
            #expect(try await Self.signIn(&browser, token: try await server.token("acme", .admin)).status == 303)
            #expect(try await browser.get("/console/followups?month=2026-03").status == 200)
            server.clock.set(server.clock.now().addingTimeInterval(12 * 3600 + 60))
            #expect(try await browser.get("/console/followups?month=2026-03").status == 303, "expired")

            let created = try await shop.admin.post("/v1/tokens", ["role": "admin"])
            let token = try #require(created["token"]?.stringValue)
            let id = try #require(created["id"]?.stringValue)
            #expect(try await Self.signIn(&browser, token: token).status == 303)
            #expect(try await browser.get("/console/followups?month=2026-03").status == 200)
            #expect(try await shop.admin.send(.DELETE, "/v1/tokens/\(id)").status == 204)
            #expect(try await browser.get("/console/followups?month=2026-03").status == 303, "revoked with its token")

            var elsewhere = Browser(server)
            #expect(try await Self.signIn(&elsewhere, token: try await server.token("globex", .admin)).status == 303)
            let empty = try await elsewhere.get("/console/followups?month=2026-03")
            #expect(empty.status == 200 && empty.html.contains("console-empty") && !empty.html.contains("Wiper"))

            var guesser = Browser(server)
            var last = 0
            for _ in 0..<11 {
                last = try await Self.signIn(&guesser, token: "rvt_00000000000000000000000000000000_nope").status
            }
            #expect(last == 429, "ten failures a minute, then wait")
        }
    }

    @Test(
        "reviews: completed inspections wait for their customer; a button makes a link, shown once, that opens the page"
    )
    func reviews() async throws {
        try await TestServer.with { server in
            var shop = try await ReviewWorkshop(server)
            try await shop.prepare()
            var browser = Browser(server)
            #expect(try await Self.signIn(&browser, token: try await server.token("acme", .admin)).status == 303)
            let list = try await browser.get("/console/inspections")
            let id = shop.scenario.inspection
            #expect(list.status == 200 && list.html.contains("i-\(id)") && list.html.contains("No link yet"))
            let csrf = try #require(Browser.csrf(in: list))

            #expect(try await browser.post("/console/inspections/\(id)/review-link", []).status == 403)
            let made = try await browser.post("/console/inspections/\(id)/review-link", [("csrf", csrf)])
            #expect(made.status == 200 && made.html.contains(#"data-test="made-link""#))
            let url = try #require(
                made.html.range(of: #"value="(http://[^"]+/r/[^"]+)""#, options: .regularExpression).map {
                    String(made.html[$0].dropFirst(7).dropLast())
                }
            )
            var phone = Browser(server)
            let page = try await phone.get(String(url.dropFirst(server.baseURL.count)))
            #expect(page.status == 200 && page.html.contains("Brake pads front"), "the link opens the review page")
            let after = try await browser.get("/console/inspections")
            #expect(after.html.contains("Opened") && !after.html.contains(#"data-test="made-link""#), "shown once")

            let foreign = try await browser.post(
                "/console/inspections/\(UUID().uuidString)/review-link",
                [("csrf", csrf)]
            )
            #expect(foreign.status == 404)
            #expect(try await shop.admin.get("/v1/inspections/\(id)/review-links")["data"]?.arrayValue?.count == 1)
        }
    }

    @Test("reports: per month counts, value and lost value by reason as inline SVG charts with tables beside them")
    func reports() async throws {
        try await TestServer.with({ $0.schedulerInterval = .milliseconds(20) }) { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            let followups = try await shop.followups()
            let pads = try #require(followups["brake_pads_front"]?["id"]?.stringValue)
            let wipers = try #require(followups["wipers"]?["id"]?.stringValue)
            #expect(try await shop.integration.post("/v1/followups/\(pads)/outcome", ["outcome": "done"]).status == 200)
            let lost = try await shop.integration.post(
                "/v1/followups/\(wipers)/outcome",
                ["outcome": "lost", "reason": "competitor"]
            )
            #expect(lost.status == 200)
            var browser = Browser(server)
            #expect(try await Self.signIn(&browser, token: try await server.token("acme", .admin)).status == 303)
            let page = try await browser.get("/console/reports?from=2026-01&to=2026-12")
            #expect(page.status == 200 && page.hasPageHeaders)
            #expect(page.html.components(separatedBy: #"<svg class="chart""#).count - 1 == 3)
            #expect(!page.html.contains("style="), "no inline style: the policy would refuse it")
            #expect(page.html.contains("<table>") && page.html.contains("€180.00") && page.html.contains("€45.00"))
            #expect(page.html.contains("<title>Lost, Went elsewhere: €45.00</title>"))
            let fallback = try await browser.get("/console/reports?from=someday")
            #expect(fallback.status == 200, "a month that does not read falls back to the last 12 months")
        }
    }

    @Test(
        "webhooks: endpoints with their recent deliveries; enable a disabled one, replay from a day, rotate the secret"
    )
    func webhooks() async throws {
        let receiver = try await WebhookReceiver.start { _, _ in 410 }
        defer { Task { await receiver.stop() } }
        try await TestServer.with(WebhookEndToEndTests.configure) { server in
            var shop = try await Workshop(server)
            let created = try await shop.admin.post(
                "/v1/webhook-endpoints",
                ["url": .string(receiver.url), "events": ["*"], "description": "CRM"]
            )
            let id = try #require(created["id"]?.stringValue)
            try await shop.closeInspection()
            try await eventually("the endpoint that answered 410 is disabled") {
                try await shop.admin.get("/v1/webhook-endpoints/\(id)")["enabled"] == false
            }
            var browser = Browser(server)
            #expect(try await Self.signIn(&browser, token: try await server.token("acme", .admin)).status == 303)
            let page = try await browser.get("/console/webhooks")
            #expect(page.status == 200 && page.html.contains("w-\(id)") && page.html.contains("Disabled"))
            #expect(page.html.contains(#"data-test="delivery""#) && page.html.contains("<td>410</td>"))
            let csrf = try #require(Browser.csrf(in: page))

            receiver.answer { _, _ in 204 }
            #expect(try await browser.post("/console/webhooks/\(id)/enable", []).status == 403, "no CSRF token")
            let enabled = try await browser.post("/console/webhooks/\(id)/enable", [("csrf", csrf)])
            #expect(enabled.status == 200 && enabled.html.contains("enabled again"))
            #expect(try await shop.admin.get("/v1/webhook-endpoints/\(id)")["enabled"] == true)
            let before = receiver.requests.count
            let replayed = try await browser.post(
                "/console/webhooks/\(id)/replay",
                [("csrf", csrf), ("since", "2026-03-01")]
            )
            #expect(replayed.status == 200 && replayed.html.contains("Events queued again"))
            try await eventually("the replayed events arrive") { receiver.requests.count > before }

            let rotated = try await browser.post("/console/webhooks/\(id)/rotate-secret", [("csrf", csrf)])
            #expect(
                rotated.status == 200 && rotated.html.contains(#"data-test="new-secret""#)
                    && rotated.html.contains("whsec_")
            )
            #expect(try await shop.admin.get("/v1/webhook-endpoints/\(id)")["secretRotatedAt"]?.stringValue != nil)
            let again = try await browser.get("/console/webhooks")
            #expect(!again.html.contains("whsec_"), "the secret is shown once")
            let foreign = try await browser.post("/console/webhooks/whe_\(UUID().uuidString)/enable", [("csrf", csrf)])
            #expect(foreign.status == 404)
        }
    }

    @Test("the call list follows the tenant's changes: /console/changes streams them to a signed-in browser only")
    func liveChanges() async throws {
        try await TestServer.with { server in
            var shop = try await Workshop(server)
            try await shop.closeInspection()
            var browser = Browser(server)
            #expect(try await browser.get("/console/changes").status == 303, "no session, no stream")
            #expect(try await Self.signIn(&browser, token: try await server.token("acme", .admin)).status == 303)
            let list = try await browser.get("/console/followups?month=2026-06")
            #expect(list.html.contains("data-live") && list.html.contains("/assets/console.js"))
            #expect(list.headers.first(name: "content-security-policy")?.contains("connect-src 'self'") == true)
            let cookie = try #require(browser.cookie)
            let stream = try await EventStreamClient(
                baseURL: server.baseURL,
                path: "/console/changes",
                headers: [("Cookie", cookie)]
            )
            #expect(stream.status == 200 && stream.contentType == "text/event-stream")
            let first = try #require(try await stream.nextCursor())
            let customer = "/v1/customers/\(shop.scenario.customer)"
            #expect(try await shop.integration.send(.PATCH, customer, json: ["phone": "+31 6 1"]).status == 200)
            let next = try #require(try await stream.nextCursor())
            #expect(next > first, "the correction moved the tenant's version")
        }
    }
}
