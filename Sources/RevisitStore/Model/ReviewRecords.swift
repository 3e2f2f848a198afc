import Foundation
import RevisitModel

/// A review link (DESIGN section 13): opens one inspection to its customer until it expires, is revoked or is used.
/// The token itself is never stored, only its SHA-256.
public struct ReviewLinkRecord: Sendable, Equatable {
    public var id: String
    public var inspectionId: String
    /// The link's own push client: the customer's choices are mutations of this client, merged like a tablet's.
    public var clientId: String
    public var createdAt: Date
    public var expiresAt: Date
    public var openedAt: Date?
    public var completedAt: Date?
    public var revokedAt: Date?

    public init(
        id: String,
        inspectionId: String,
        clientId: String,
        createdAt: Date,
        expiresAt: Date,
        openedAt: Date? = nil,
        completedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.inspectionId = inspectionId
        self.clientId = clientId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.openedAt = openedAt
        self.completedAt = completedAt
        self.revokedAt = revokedAt
    }

    /// The link as `GET /v1/inspections/{id}/review-links` lists it (the URL is shown once, when it is made).
    public var json: [String: JSONValue] {
        func time(_ date: Date?) -> JSONValue { date.map { .string(RFC3339DateTime.string(from: $0)) } ?? .null }
        return [
            "id": .string(id), "inspectionId": .string(inspectionId), "createdAt": time(createdAt),
            "expiresAt": time(expiresAt), "openedAt": time(openedAt), "completedAt": time(completedAt),
            "revokedAt": time(revokedAt),
        ]
    }
}

/// A link found by its token, with the tenant it belongs to: everything the page may show is read in that tenant.
public struct ReviewAccess: Sendable, Equatable {
    public var tenantId: Int64
    public var link: ReviewLinkRecord
}

/// What a load of the review page reads before anything else (``ReviewStore/reviewVisit(token:sessionIdHash:)``).
public struct ReviewVisit: Sendable, Equatable {
    public var access: ReviewAccess
    /// The link's tenant's version and settings: whether a page kept since is still what it would show.
    public var stamp: TenantStamp
    /// The browser's live session by its cookie's hash, if it sent one and it is live (of any purpose and subject:
    /// the caller checks that it is this link's).
    public var session: WebSessionRecord?
}

/// A browser's session on a web page (the review page now, the console later), kept in the database so that every
/// instance knows it. Only the SHA-256 of the cookie's value is stored; the CSRF token is the form's hidden field.
public struct WebSessionRecord: Sendable, Equatable {
    public enum Purpose: String, Sendable {
        case review
        case console
    }

    public var idHash: String
    public var tenantId: Int64
    public var purpose: Purpose
    /// What the session opens: the review link's id, or the signed-in token's id.
    public var subject: String
    public var csrf: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(
        idHash: String,
        tenantId: Int64,
        purpose: Purpose,
        subject: String,
        csrf: String,
        createdAt: Date,
        expiresAt: Date
    ) {
        self.idHash = idHash
        self.tenantId = tenantId
        self.purpose = purpose
        self.subject = subject
        self.csrf = csrf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Why a review submission was not applied; the page answers each with its own status and words.
public enum ReviewLinkError: Error, Sendable, Equatable {
    /// The link was used already: 409, the page shows the choices made.
    case alreadyCompleted
    /// Expired, revoked, or its inspection was closed or cancelled meanwhile: 410.
    case gone(ReviewLinkState.Gone)
    /// The push rules rejected a choice (a change on a tablet got in between): nothing written.
    case rejected(MutationProblem)
}
