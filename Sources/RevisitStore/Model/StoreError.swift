/// Why a store call failed as a whole. A struct with a private code, as swift-nio's errors, so that adding a case
/// breaks nobody; the HTTP layer maps each to one problem type.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case notFound, mutationGap, cursorExpired, malformed, validation, invalidTransition, unavailable
    }

    private let code: Code
    /// What a person can act on.
    public let detail: String
    /// For a gap: the mutation id the server expects next.
    public let expectedMutationId: Int64?

    private init(_ code: Code, _ detail: String, expected: Int64? = nil) {
        self.code = code
        self.detail = detail
        self.expectedMutationId = expected
    }

    public static func notFound(_ detail: String) -> Self { Self(.notFound, detail) }
    public static func mutationGap(expected: Int64, got: Int64) -> Self {
        Self(.mutationGap, "mutation id \(got) leaves a gap: the next id must be \(expected)", expected: expected)
    }
    public static func cursorExpired(_ detail: String) -> Self { Self(.cursorExpired, detail) }
    public static func malformed(_ detail: String) -> Self { Self(.malformed, detail) }
    public static func validation(_ detail: String) -> Self { Self(.validation, detail) }
    public static func invalidTransition(_ detail: String) -> Self { Self(.invalidTransition, detail) }
    public static func unavailable(_ detail: String) -> Self { Self(.unavailable, detail) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The problem type slug (DESIGN section 10).
    public var slug: String {
        switch code {
        case .notFound: "not-found"
        case .mutationGap: "mutation-gap"
        case .cursorExpired: "cursor-expired"
        case .malformed: "malformed-request"
        case .validation: "validation"
        case .invalidTransition: "invalid-transition"
        case .unavailable: "unavailable"
        }
    }

    public var description: String { "\(slug): \(detail)" }
}
