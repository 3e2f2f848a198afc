import AsyncHTTPClient
import Crypto
import Foundation
import RevisitModel
import RevisitTestSupport

/// A workshop with a completed inspection whose customer gets a review link: pads to replace now (with a photo and
/// a price), a tyre that can wait, and fine lights.
struct ReviewWorkshop {
    let server: TestServer
    let admin: API
    var tablet: Tablet
    let scenario = Scenario()
    /// A real picture (a 96×64 PNG of a brake disc, drawn for the tests), so the browser's screenshots show a photo.
    let photo = [UInt8](
        Data(
            base64Encoded: [
                "iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAERElEQVR42u2b124cMQxF+WF5yBeluPfeS2Knd/d23Xt3evmsCCBA",
                "EJodAWtRs/MwwHkwdmRb94CktszSvztUBKC/d6gIQH9uURGAft+iIgD9ukFFAPp5g4oA9OMaFQHo+zUaxezsC8fMzHwYXtaoTdK3",
                "KxSPeJmennNMTT3PgxeIqeK3Sl+vUBjaC+efnHzmmJiYzYMXiCwxVdie6e4SxcB2WI1IGR+fcYyNTefBC0SWaHJ/rZht0+0lUpNV",
                "I1JGR6ccIyOTefACkZXVlHrzdHOBpLAdT414GR6ecAwNjefBC7QprYkdJd0/XV8gHV7hsBouDfYyODjmGBgYzYMXsCmpKfd3vFJK",
                "F4GuzpEIsaMLR6tx+fv7Rxx9fcN58AI2JZp0KYmjRCno8hwpyNrJqmEFvb1DPT2DebirYsrTlHWUIghdnMEcNxe0HV04oka8dHcP",
                "dHX15+GualOsSZeSduT+r3kWOj+DLTKVPTu6cLSazs4+R0dHbxa+pDXpUso64pltG4fOTmGLnFm6s9iOFI6ocRba23scbW3dWfgS",
                "mxJNXEraEfeanGu2cej0FIZwc8mZVdOOVuMstLZ2OVpaOrPwJTYlmvIc8bnGjWaYiE5OYIVuLj6zZO6wHV04rIZFNDd3NDW1Z3GP",
                "iym3XpeSOOJ5JGe/NJpVKDo+gRV8cnFz8eiRqaxrRwpH1Dx92vbkSWsW97hoklLSdSQzW4YRF5HbiVUoOjqGFbp8pLlkKms7nprH",
                "j1sePWpmHjx4KD+7xz1NniOe2V6jcRFZhaLDY5gg08crH7bjmkI6S+yIGiclD9GkHXGv8cyWRvOKyO3HJBcdHMGE7PTh8pHmkrmj",
                "7QTUaLQjmUe60biIvElkkov2jxCPN55rlo9rDZ479drxHPE84kbLFpE3quOj0d4h4vH6Kzt9dHO5mVKvHXHkflc3WnYSeV0WH412",
                "DxGPd37p/qpZPuG5E5hHNYvI6zJ9lsVHo50DxBPoLzm8ePrcu3y8IhJBUkQ1uyw+Gm0fIJ6wIOmvmPLJFpHXZTUFxUcj7COe0gqK",
                "j0Zb+4intILio9HmHuKpS9C97TB1CYqPRht7iKe0FRQfjdZ3EU9pBcVHo7VdxFNaQfHRaHUH8ZT2eVB8NFrZQTylfSYdH42WtxFP",
                "aV+LxUejpW3EU9pX8/HRaBEwoYTvB5nkogXAhBK+o2iSi75swYpSvSdtFYo+b8GKUn2qYRWKPm3CilJ9LmYVij5uwpCSfLJqmIg+",
                "bMCWhn82bxuH3m/Alobf3WEbh96tw5wG3h9knoXeriMFDbnDLEUQerOGRBR8j2KiFPR6Deko7C7XdBHo1SqSUsB90kn3Ty9XkZqk",
                "d9qn3jy9WEExmH9Xo5ht0/wKCsPw2z6F7ZnmllE89/6+WPFbpefLaBR1feOwUZukZ0uoCECzS6gIQDOLqAhA04uoCEBTC6gIQJML",
                "qAjwHwBxIm0s+EPNAAAAAElFTkSuQmCC",
            ].joined()
        )!
    )
    var photoHash: String { SHA256.hash(data: photo).map { String(format: "%02x", $0) }.joined() }

    init(_ server: TestServer, tenant: String = "acme") async throws {
        self.server = server
        admin = API(baseURL: server.baseURL, token: try await server.token(tenant, .admin))
        tablet = Tablet(API(baseURL: server.baseURL, token: try await server.token(tenant, .device)))
        tablet.wall = server.clock.nowMillis()
    }

    /// Pushes the inspection, `completed` unless told otherwise.
    mutating func prepare(complete: Bool = true) async throws {
        let s = scenario
        let inspection = JSONValue.string(s.inspection)
        let upload = try await tablet.api.send(
            .PUT,
            "/v1/attachments/\(photoHash)",
            raw: photo,
            contentType: "image/png"
        )
        guard upload.status == 201 || upload.status == 200 else { throw TestFailure("upload: \(upload.status)") }
        var mutations = s.create(on: &tablet)
        mutations += [
            tablet.mutation(
                "item",
                s.item("brake_pads_front"),
                [
                    "status": "now", "measurement": ["value": 2.1, "unit": "mm"], "note": "Worn to the metal",
                    "estimatedCost": ["amount": 18_900], "photos": [.string(photoHash)],
                ],
                base: 4
            ),
            tablet.mutation(
                "item",
                s.item("tyre_front_left"),
                [
                    "inspectionId": inspection, "code": "tyre_front_left", "status": "later",
                    "measurement": ["value": 2.8, "unit": "mm"], "estimatedCost": ["amount": 9550],
                ]
            ),
            tablet.mutation("item", s.item("lights"), ["inspectionId": inspection, "code": "lights", "status": "ok"]),
        ]
        if complete { mutations.append(tablet.mutation("inspection", s.inspection, ["state": "completed"], base: 3)) }
        let answer = try await tablet.push(mutations)
        let statuses = answer["results"]?.arrayValue?.compactMap { $0.objectValue?["status"]?.stringValue } ?? []
        guard answer.status == 200, statuses.allSatisfy({ $0 == "applied" }) else {
            throw TestFailure("prepare: \(answer.status) \(answer.json)")
        }
    }

    /// A new review link: its id and the path of its page.
    func link(by api: API? = nil) async throws -> (id: String, path: String) {
        let answer = try await (api ?? tablet.api).send(.POST, "/v1/inspections/\(scenario.inspection)/review-links")
        guard answer.status == 201, let id = answer["id"]?.stringValue, let url = answer["url"]?.stringValue,
            let path = URL(string: url)?.path
        else { throw TestFailure("link: \(answer.status) \(answer.json)") }
        return (id, path)
    }

    func inspection() async throws -> [String: JSONValue] {
        try await admin.get("/v1/inspections/\(scenario.inspection)").object
    }
}

/// A phone's browser without JavaScript: keeps the page's cookie, reads the form's CSRF token, sends forms, and does
/// not follow redirects (a test looks at each answer).
struct Browser {
    let api: API
    var cookie: String?

    init(_ server: TestServer) {
        var api = API(baseURL: server.baseURL)
        api.client = Self.client
        self.api = api
    }

    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .disallow)
    )

    mutating func get(_ path: String) async throws -> Answer {
        let answer = try await api.send(.GET, path, headers: cookieHeader)
        remember(answer)
        return answer
    }

    mutating func post(_ path: String, _ fields: [(String, String)]) async throws -> Answer {
        let body = fields.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        let answer = try await api.send(
            .POST,
            path,
            raw: Array(body.utf8),
            contentType: "application/x-www-form-urlencoded",
            headers: cookieHeader
        )
        remember(answer)
        return answer
    }

    private var cookieHeader: [(String, String)] { cookie.map { [("Cookie", $0)] } ?? [] }

    private mutating func remember(_ answer: Answer) {
        if let set = answer.headers.first(name: "Set-Cookie"), let pair = set.split(separator: ";").first {
            cookie = String(pair)
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func csrf(in page: Answer) -> String? {
        let html = String(decoding: page.bytes, as: UTF8.self)
        guard let range = html.range(of: #"name="csrf" value="([^"]*)""#, options: .regularExpression) else {
            return nil
        }
        return html[range].split(separator: "\"").dropFirst(3).first.map(String.init)
    }
}

extension Answer {
    var html: String { String(decoding: bytes, as: UTF8.self) }

    /// The headers every `/r/` answer carries (DESIGN section 13).
    var hasPageHeaders: Bool {
        let policy = headers.first(name: "Content-Security-Policy") ?? ""
        return headers.first(name: "Cache-Control") == "no-store"
            && headers.first(name: "Referrer-Policy") == "no-referrer"
            && headers.first(name: "X-Content-Type-Options") == "nosniff" && !policy.isEmpty
            && !policy.contains("unsafe-inline") && policy.contains("frame-ancestors 'none'")
    }
}
