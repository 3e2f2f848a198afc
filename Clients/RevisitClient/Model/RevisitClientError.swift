import RevisitModel

/// Why a client operation failed, with a message a mechanic can act on.
///
/// A struct with a ``Code`` rather than an enum, as in swift-nio and async-http-client: a new kind of failure adds a
/// static value and breaks no one's `switch`, and ``Code/description`` has no dynamic parts, so it can label a metric.
public struct RevisitClientError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; compare with the static values (`error.code == .serverUnreachable`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case notLoggedIn = "not-logged-in"
            case serverUnreachable = "server-unreachable"
            case tokenRefused = "token-refused"
            case unknownInspection = "unknown-inspection"
            case ambiguousInspection = "ambiguous-inspection"
            case unknownItemCode = "unknown-item-code"
            case invalidValue = "invalid-value"
            case invalidTransition = "invalid-transition"
            case templateMissing = "template-missing"
            case attachmentUnreadable = "attachment-unreadable"
            case serverRefused = "server-refused"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No server and token yet: `login` first.
        public static let notLoggedIn = Code(.notLoggedIn)
        /// The server could not be reached, or kept failing (network errors, 5xx, 429) after every retry.
        public static let serverUnreachable = Code(.serverUnreachable)
        /// The server refused the token (401) or its role (403).
        public static let tokenRefused = Code(.tokenRefused)
        /// No inspection with that id (or id prefix) in the local store.
        public static let unknownInspection = Code(.unknownInspection)
        /// An id prefix that matches more than one inspection.
        public static let ambiguousInspection = Code(.ambiguousInspection)
        /// An item code that is not in the inspection's template; ``RevisitClientError/suggestions`` has the
        /// nearest codes.
        // swift-format-ignore: DontRepeatTypeInStaticProperties
        public static let unknownItemCode = Code(.unknownItemCode)
        /// A value the server would reject (checked locally with the server's own validator).
        public static let invalidValue = Code(.invalidValue)
        /// A lifecycle step the inspection cannot take from its current state.
        public static let invalidTransition = Code(.invalidTransition)
        /// The inspection's template is not in the local cache (log in or sync while online).
        public static let templateMissing = Code(.templateMissing)
        /// A photo file that cannot be read or is not a supported image or video type.
        public static let attachmentUnreadable = Code(.attachmentUnreadable)
        /// The server answered the request as a whole with an error that retrying will not fix.
        public static let serverRefused = Code(.serverRefused)

        /// The code's slug, such as `server-unreachable`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong and what to do about it, for a person.
    public var message: String
    /// For ``Code/unknownItemCode``: the template's codes nearest to the one given, best first.
    public var suggestions: [String]
    /// The server's problem document, when the server answered with one.
    public var problem: MutationProblem?

    public init(_ code: Code, _ message: String, suggestions: [String] = [], problem: MutationProblem? = nil) {
        self.code = code
        self.message = message
        self.suggestions = suggestions
        self.problem = problem
    }

    public var description: String { message }
}
