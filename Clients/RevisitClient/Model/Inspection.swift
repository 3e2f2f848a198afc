import Foundation
import RevisitModel

/// An inspection as the local store shows it: the server's state with this store's pending edits applied by the
/// merge rules of ``RevisitModel/Merge``, and the whole checklist of its template (items nobody wrote yet are
/// `unchecked`, as DESIGN section 4 asks of readers).
public struct Inspection: Sendable, Hashable {
    /// The inspection's id.
    public var id: UUID
    /// The server version this store last pulled; nil while the inspection exists only locally.
    public var version: Int64?
    /// Where it is in its life.
    public var state: InspectionState
    /// The template it was started with.
    public var templateId: String
    /// The template version its items are checked against.
    public var templateVersion: Int?
    /// Kilometres on the clock.
    public var odometer: Int64?
    /// When the inspection was done (RFC 3339).
    public var inspectedAt: String?
    /// Who did the inspection.
    public var mechanic: String?
    /// The inspected vehicle, if the store knows it.
    public var vehicle: Vehicle?
    /// The vehicle's owner, if known.
    public var customer: Customer?
    /// The customer's signature from the review page, once they sent their choices there.
    public var review: CustomerReview?
    /// The checklist, in template order; codes the template does not have (a newer version's) come last.
    public var items: [InspectionItem]
    /// Whether this store holds edits of the inspection or its items that are not on the server yet.
    public var hasPendingChanges: Bool
    /// The inspection's merged fields as the API names them, for callers that need a field this type lacks.
    public var fields: [String: JSONValue]

    /// The item with `code`.
    public func item(_ code: String) -> InspectionItem? { items.first { $0.code == code } }
}
