import Testing

@testable import RevisitServer

/// The request log must never carry a review link's token: it is the key to the customer's page.
@Suite("Request log")
struct RequestLogTests {
    @Test("a review link's token is hidden in every review path; other paths and queries stay as they came")
    func tokensHidden() {
        let token = "rvt_3b1f8c0d2e4a6b8c0d2e4f6a8b0c2d4e"
        #expect(ReviewPaths.redacted("/r/\(token)") == "/r/…")
        #expect(ReviewPaths.redacted("/r/\(token)/photos/abc123") == "/r/…/photos/abc123")
        #expect(ReviewPaths.redacted("/r/\(token)?lang=nl") == "/r/…?lang=nl")
        #expect(ReviewPaths.redacted("/r/") == "/r/…")
        for path in [
            "/v1/sync/pull?since=12&wait=30", "/console/followups?month=2027-01", "/assets/review.css", "/rx/1",
        ] {
            #expect(ReviewPaths.redacted(path) == path)
        }
    }
}
