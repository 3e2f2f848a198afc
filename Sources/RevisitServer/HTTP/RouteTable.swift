/// The paths the API serves and their methods, for 405 answers with `Allow` (the router itself only knows 404).
enum RouteTable {
    private static let routes: [(pattern: [String], methods: [String])] = [
        (["health"], ["GET"]), (["ready"], ["GET"]), (["metrics"], ["GET"]),
        (["v1", "sync", "push"], ["POST"]), (["v1", "sync", "pull"], ["GET"]),
        (["v1", "conflicts"], ["GET"]), (["v1", "conflicts", "*", "resolve"], ["POST"]),
        (["v1", "tokens"], ["GET", "POST"]), (["v1", "tokens", "*"], ["DELETE"]),
        (["v1", "templates"], ["GET"]), (["v1", "templates", "*"], ["GET", "PUT"]),
        (["v1", "inspections"], ["GET"]), (["v1", "inspections", "*"], ["GET"]),
        (["v1", "vehicles"], ["GET"]), (["v1", "vehicles", "*"], ["GET"]),
        (["v1", "customers", "*"], ["GET"]),
        (["v1", "attachments", "*"], ["GET", "HEAD", "PUT"]),
        (["v1", "followups"], ["GET"]), (["v1", "followups", "*"], ["GET"]),
        (["v1", "followups", "*", "outcome"], ["POST"]), (["v1", "settings"], ["GET", "PATCH"]),
        (["v1", "events"], ["GET"]), (["v1", "reports", "followups"], ["GET"]),
        (["v1", "webhook-endpoints"], ["GET", "POST"]),
        (["v1", "webhook-endpoints", "*"], ["GET", "PATCH", "DELETE"]),
        (["v1", "webhook-endpoints", "*", "rotate-secret"], ["POST"]),
        (["v1", "webhook-endpoints", "*", "deliveries"], ["GET"]),
        (["v1", "webhook-endpoints", "*", "replay"], ["POST"]),
    ]

    /// The methods of the route that matches a path, or nil when no route does.
    static func allowedMethods(for path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return routes.first { route in
            route.pattern.count == segments.count
                && zip(route.pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
        }?.methods
    }
}
