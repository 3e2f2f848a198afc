import Foundation
import RevisitModel

/// Whether a review link still takes the customer's choices (DESIGN section 13), decided the same way when the page
/// is shown and inside the submission's transaction.
public enum ReviewLinkState: Sendable, Equatable {
    case open
    case completed
    case gone(Gone)

    public enum Gone: String, Sendable, Equatable {
        case expired, revoked, inspectionClosed, inspectionCancelled
    }

    /// - Parameters:
    ///   - inspectionState: the inspection's state now; nil for an inspection deleted meanwhile.
    public init(_ link: ReviewLinkRecord, inspectionState: InspectionState?, now: Date) {
        if link.completedAt != nil {
            self = .completed
        } else if link.revokedAt != nil {
            self = .gone(.revoked)
        } else if now >= link.expiresAt {
            self = .gone(.expired)
        } else if inspectionState == .closed {
            self = .gone(.inspectionClosed)
        } else if inspectionState == .cancelled || inspectionState == nil {
            self = .gone(.inspectionCancelled)
        } else {
            self = .open
        }
    }
}
