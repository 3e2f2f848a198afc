import AsyncHTTPClient
import Foundation

/// What a phone downloads to show the review page, photos aside: the HTML and the files under `/assets/` it links
/// (`review.css`, `review.js`), as sent (the server does not compress them).
struct ReviewPageWeight: Codable, Sendable {
    var htmlBytes = 0
    /// Bytes per asset path, e.g. `/assets/review.css?v=…`.
    var assets: [String: Int] = [:]
    /// Distinct photo URLs the page shows (`/r/TOKEN/photos/SHA256`).
    var photosLinked = 0

    var totalBytes: Int { htmlBytes + assets.values.reduce(0, +) }

    /// Reads the page (as a returning customer, with `cookie`) and every asset it links.
    static func measure(http: HTTPClient, base: String, pagePath: String, cookie: String?) async throws -> Self {
        let page = try await ReviewPageLoad.get(http, base + pagePath, cookie: cookie, keepBody: true)
        guard page.status == 200, let html = page.body else {
            throw BenchError.http(what: "review page", status: page.status, body: "")
        }
        var weight = ReviewPageWeight(htmlBytes: page.bytes)
        for path in links(in: html, prefix: "/assets/") {
            let asset = try await ReviewPageLoad.get(http, base + path, cookie: nil)
            guard asset.status == 200 else { throw BenchError.http(what: path, status: asset.status, body: "") }
            weight.assets[path] = asset.bytes
        }
        weight.photosLinked = links(in: html, prefix: pagePath + "/photos/").count
        return weight
    }

    /// Distinct `href`/`src` values starting with `prefix`, in the order they appear.
    static func links(in html: String, prefix: String) -> [String] {
        var found: [String] = []
        for attribute in ["href=\"", "src=\""] {
            for part in html.components(separatedBy: attribute + prefix).dropFirst() {
                guard let end = part.firstIndex(of: "\"") else { continue }
                let link = prefix + part[..<end].replacingOccurrences(of: "&amp;", with: "&")
                if !found.contains(link) { found.append(link) }
            }
        }
        return found
    }
}
