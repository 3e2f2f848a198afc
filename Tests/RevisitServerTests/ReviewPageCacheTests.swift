import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

/// The review page is kept as rendered (``ReviewPageCache``): it must still be each browser's own form, and follow
/// every change of the inspection and the tenant's settings at the next load.
@Suite("The review page as kept between loads")
struct ReviewPageCacheTests {
    @Test("two phones get their own CSRF token in the same page; a setting or an item changed shows at the next load")
    func keptPageFollowsChanges() async throws {
        try await TestServer.with { server in
            var shop = try await ReviewWorkshop(server)
            try await shop.prepare()
            let link = try await shop.link()
            var first = Browser(server)
            var second = Browser(server)
            let a = try await first.get(link.path)
            let b = try await second.get(link.path)
            let csrfA = try #require(Browser.csrf(in: a))
            let csrfB = try #require(Browser.csrf(in: b))
            #expect(a.status == 200 && b.status == 200 && csrfA != csrfB)
            #expect(
                a.html.replacingOccurrences(of: csrfA, with: "") == b.html.replacingOccurrences(of: csrfB, with: "")
            )
            #expect(!a.html.contains("REVISITCSRFTOKENMARK"))
            let again = try await first.get(link.path)
            #expect(Browser.csrf(in: again) == csrfA, "a reload keeps the browser's session")

            _ = try await shop.admin.send(.PATCH, "/v1/settings", json: ["workshopName": "Garage Kept Page"])
            #expect(try await first.get(link.path).html.contains("Garage Kept Page"))

            let items = try #require(try await shop.inspection()["items"]?.arrayValue)
            let tyre = try #require(items.first { $0.objectValue?["code"] == "tyre_front_left" }?.objectValue)
            let version = try #require(tyre["version"]?.intValue)
            #expect(!(try await first.get(link.path).html.contains("123.45")))
            let changed = try await shop.tablet.push([
                shop.tablet.mutation(
                    "item",
                    shop.scenario.item("tyre_front_left"),
                    ["estimatedCost": ["amount": 12_345]],
                    base: version
                )
            ])
            #expect(changed.status == 200)
            let reloaded = try await first.get(link.path)
            #expect(reloaded.html.contains("123.45"), "the new price shows at once")

            // The kept form still submits with the browser's own token.
            let sent = try await first.post(link.path, [("csrf", csrfA)] + ReviewPageTests.choices)
            #expect(sent.status == 303)
            let done = try await first.get(link.path)
            #expect(done.status == 200 && done.html.contains(#"id="review-done""#))
            #expect(try await second.get(link.path).html.contains(#"id="review-done""#))
        }
    }
}
