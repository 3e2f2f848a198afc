import Foundation
import RevisitModel

/// Review links and the sessions of the pages they open (DESIGN section 13), in the database so that every
/// instance serves every link.
public protocol ReviewStore {
    /// Makes a link to a `completed` inspection and emits `review.requested` in the same transaction.
    /// - Parameter url: the link's public URL for a token, for the event (the CRM texts it to the customer).
    /// - Returns: the link and its token, which is shown once and never stored.
    /// - Throws: `notFound` for an unknown inspection, `invalidTransition` for one that is not `completed`.
    func createReviewLink(
        tenantId: Int64,
        inspectionId: String,
        url: @Sendable (String) -> String
    ) async throws -> (link: ReviewLinkRecord, token: String)
    /// The inspection's links, newest first; nil for an unknown inspection.
    func reviewLinks(tenantId: Int64, inspectionId: String) async throws -> [ReviewLinkRecord]?
    /// Revokes a link; false when the tenant has no such link. Revoking twice keeps the first time.
    func revokeReviewLink(tenantId: Int64, id: String) async throws -> Bool
    /// The link a token opens (in any tenant; nil for an unknown token), its tenant's stamp and the browser's
    /// session, in one read: every review page answer's first step.
    func reviewVisit(token: String, sessionIdHash: String?) async throws -> ReviewVisit?
    /// Notes the first opening of a link and, when given, starts a page session, in one write.
    func openReviewLink(_ access: ReviewAccess, session: WebSessionRecord?) async throws
    /// A live session by the hash of its cookie; nil when unknown or expired.
    func webSession(idHash: String) async throws -> WebSessionRecord?
    /// Starts a session of the console (a signed-in admin); expired sessions are cleared on the way.
    func startWebSession(_ session: WebSessionRecord) async throws
    /// Ends a session (signing out); nothing happens for an unknown one.
    func endWebSession(idHash: String) async throws
    /// Applies the customer's choices as a push of the link's own client, marks the link used and emits
    /// `review.completed`, in one transaction; nothing is written when it throws.
    /// - Parameters:
    ///   - mutations: the plan of ``ReviewSubmissionPlan``, ids from 1.
    ///   - completedEvent: the `review.completed` data.
    /// - Throws: ``ReviewLinkError`` when the link no longer takes choices or a choice was rejected.
    func submitReview(
        tenantId: Int64,
        linkId: String,
        mutations: [IncomingMutation],
        completedEvent: [String: JSONValue]
    ) async throws -> PushResult
}
