/// The parts of the sync answers the benchmark checks (OpenAPI `PushResponse` and `PullResponse`).
enum SyncReplies {
    struct Problem: Decodable, Sendable {
        let type: String?
        let title: String?
        let status: Int?
        let detail: String?
    }

    struct Push: Decodable, Sendable {
        struct Result: Decodable, Sendable {
            let id: Int64
            let status: String
            let version: Int64?
            let error: Problem?
        }

        let results: [Result]
        let lastMutationId: Int64
    }

    struct Pull: Decodable, Sendable {
        struct Change: Decodable, Sendable {
            let entity: String
            let entityId: String
            let version: Int64
        }

        let changes: [Change]
        let cursor: String
        let hasMore: Bool
    }
}
