/// One path of the API as `OpenAPI/openapi.yaml` writes it (`{name}` for a parameter), with its methods and what the
/// middleware needs to know of it: whether it takes a token, and how its request body is read.
struct Route: Sendable, Hashable {
    /// Whether a request needs a bearer token.
    enum Access: Sendable, Hashable {
        /// Health, readiness and metrics: load balancers and Prometheus carry no token.
        case open
        case token
    }

    /// How ``RequestBodyMiddleware`` treats the body.
    enum Body: Sendable, Hashable {
        /// JSON collected up to the JSON limit (1 MB by default).
        case json
        /// JSON collected up to the push limit (5 MB by default).
        case push
        /// Raw bytes the handler streams; only the declared length is checked up front.
        case streamed
    }

    let path: String
    let methods: [String]
    let access: Access
    let body: Body
    /// The path's segments, `*` for a parameter.
    let pattern: [String]

    init(_ path: String, _ methods: [String], access: Access = .token, body: Body = .json) {
        self.path = path
        self.methods = methods
        self.access = access
        self.body = body
        self.pattern = path.split(separator: "/").map { $0.hasPrefix("{") ? "*" : String($0) }
    }

    var wildcards: Int { pattern.filter { $0 == "*" }.count }

    /// Whether a request path is this route's, compared as the router compares it (segment by segment, empty
    /// segments ignored, so `/v1/sync/push/` is the push too).
    func matches(_ path: String) -> Bool {
        var index = 0
        for segment in path.split(separator: "/") {
            guard index < pattern.count, pattern[index] == "*" || pattern[index] == segment else { return false }
            index += 1
        }
        return index == pattern.count
    }
}

/// The paths the API serves: the one list that middleware and responders take their paths from (auth, body limits,
/// the fast push and pull, 405 answers with `Allow`, which the router itself does not give). A test holds it equal
/// to the spec's paths and methods.
enum RouteTable {
    static let health = Route("/health", ["GET"], access: .open)
    static let ready = Route("/ready", ["GET"], access: .open)
    static let metrics = Route("/metrics", ["GET"], access: .open)
    static let syncPush = Route("/v1/sync/push", ["POST"], body: .push)
    static let syncPull = Route("/v1/sync/pull", ["GET"])
    static let syncStream = Route("/v1/sync/stream", ["GET"])
    static let attachment = Route("/v1/attachments/{sha256}", ["GET", "HEAD", "PUT"], body: .streamed)

    static let all: [Route] = [
        health, ready, metrics, syncPush, syncPull, syncStream,
        Route("/v1/conflicts", ["GET"]),
        Route("/v1/conflicts/{id}/resolve", ["POST"]),
        Route("/v1/tokens", ["GET", "POST"]),
        Route("/v1/tokens/{id}", ["DELETE"]),
        Route("/v1/templates", ["GET"]),
        Route("/v1/templates/{id}", ["GET", "PUT"]),
        Route("/v1/inspections", ["GET"]),
        Route("/v1/inspections/{id}", ["GET"]),
        Route("/v1/inspections/{id}/review-links", ["GET", "POST"]),
        Route("/v1/review-links/{id}", ["DELETE"]),
        Route("/v1/vehicles", ["GET"]),
        Route("/v1/vehicles/{id}", ["GET"]),
        Route("/v1/vehicles/{id}/odometer-readings", ["POST"]),
        Route("/v1/vehicles/{id}/coverage", ["GET", "PUT"]),
        Route("/v1/customers/{id}", ["GET", "PATCH"]),
        attachment,
        Route("/v1/followups", ["GET"]),
        Route("/v1/followups/export.csv", ["GET"]),
        Route("/v1/followups/{id}", ["GET"]),
        Route("/v1/followups/{id}/outcome", ["POST"]),
        Route("/v1/settings", ["GET", "PATCH"]),
        Route("/v1/events", ["GET"]),
        Route("/v1/reports/followups", ["GET"]),
        Route("/v1/webhook-endpoints", ["GET", "POST"]),
        Route("/v1/webhook-endpoints/{id}", ["GET", "PATCH", "DELETE"]),
        Route("/v1/webhook-endpoints/{id}/rotate-secret", ["POST"]),
        Route("/v1/webhook-endpoints/{id}/deliveries", ["GET"]),
        Route("/v1/webhook-endpoints/{id}/replay", ["POST"]),
    ]

    /// The route a request path is, or nil when it is none. A literal segment beats a parameter, as in the router
    /// (`/v1/followups/export.csv` is not the follow-up `export.csv`); otherwise no two routes match one path (a test
    /// says so).
    static func route(for path: String) -> Route? {
        all.filter { $0.matches(path) }.min { $0.wildcards < $1.wildcards }
    }

    /// The methods of the route that matches a path, or nil when no route does.
    static func allowedMethods(for path: String) -> [String]? {
        route(for: path)?.methods
    }
}
