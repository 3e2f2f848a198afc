/// Why a store call failed as a whole. A struct with static values, as swift-nio's errors, so that adding a value
/// breaks no caller that only throws or compares them; the HTTP layer maps each ``Kind`` to one problem type in a
/// `switch` without `default`, so a new kind cannot reach a client as a 500 unnoticed.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, one per problem type (DESIGN section 10).
    public enum Kind: String, Sendable, CaseIterable {
        case notFound, mutationGap, cursorExpired, malformed, validation, invalidTransition, unavailable
    }

    /// Which failure this is; the server switches on it exhaustively.
    public let kind: Kind
    /// What a person can act on. Never the database's own words: an `unavailable` error's detail is fixed.
    public let detail: String
    /// For a gap: the mutation id the server expects next.
    public let expectedMutationId: Int64?
    /// What went wrong underneath, in the backend's own words (a PostgreSQL message, a timeout): for the log only,
    /// never for an answer, since it may name hosts, users or SQL.
    package let logDetail: String?

    private init(_ kind: Kind, _ detail: String, expected: Int64? = nil, logDetail: String? = nil) {
        self.kind = kind
        self.detail = detail
        self.expectedMutationId = expected
        self.logDetail = logDetail
    }

    public static func notFound(_ detail: String) -> Self { Self(.notFound, detail) }
    public static func mutationGap(expected: Int64, got: Int64) -> Self {
        Self(.mutationGap, "mutation id \(got) leaves a gap: the next id must be \(expected)", expected: expected)
    }
    public static func cursorExpired(_ detail: String) -> Self { Self(.cursorExpired, detail) }
    public static func malformed(_ detail: String) -> Self { Self(.malformed, detail) }
    public static func validation(_ detail: String) -> Self { Self(.validation, detail) }
    public static func invalidTransition(_ detail: String) -> Self { Self(.invalidTransition, detail) }
    /// The database cannot be reached or did not answer in time. `cause` goes to the log only; the public
    /// ``detail`` is always ``unavailableDetail``.
    public static func unavailable(_ cause: String) -> Self {
        Self(.unavailable, unavailableDetail, logDetail: cause.isEmpty ? nil : cause)
    }

    /// The one detail of every `unavailable` error: what a caller can do, with nothing of the backend's text.
    public static let unavailableDetail = "the database cannot be reached; try again shortly"

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    /// The problem type slug (DESIGN section 10).
    public var slug: String {
        switch kind {
        case .notFound: "not-found"
        case .mutationGap: "mutation-gap"
        case .cursorExpired: "cursor-expired"
        case .malformed: "malformed-request"
        case .validation: "validation"
        case .invalidTransition: "invalid-transition"
        case .unavailable: "unavailable"
        }
    }

    /// For logs: the slug, the detail and, when there is one, the underlying cause. Not for answers.
    public var description: String { "\(slug): \(detail)" + (logDetail.map { " (\($0))" } ?? "") }
}
