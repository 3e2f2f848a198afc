import Foundation
import RevisitModel

/// One checklist item of an ``Inspection``.
public struct InspectionItem: Sendable, Hashable {
    /// The derived id (``RevisitModel/DerivedID/item(inspectionId:code:)``).
    public var id: UUID
    /// The template item code, e.g. `brake_pads_front`.
    public var code: String
    /// From the template; the code itself when the cached template does not have it.
    public var title: String
    /// The template's group (tyres, brakes, …); empty when the template lacks the code.
    public var category: String
    /// The template's unit for measurements, if any.
    public var unit: String?
    /// The finding; `unchecked` until someone sets it.
    public var status: ItemStatus
    /// The measured value, in the template's unit.
    public var measurement: MeasuredValue?
    /// The mechanic's note.
    public var note: String?
    /// The estimated cost of the work.
    public var estimatedCost: Money?
    /// Kilometres left before the work is due.
    public var remainingKm: Int64?
    /// `YYYY-MM-DD`.
    public var dueDate: String?
    /// SHA-256 of each photo.
    public var photos: [String]
    /// What the customer decided at review.
    public var customerDecision: CustomerDecision?
    /// Why the customer declined it, when they did so on the review page.
    public var declineReason: DeclineReason?
    /// The server version last pulled; nil when the server has no row for it yet.
    public var version: Int64?
    /// Whether anyone has written the item (locally or on the server); false for a template item shown as
    /// `unchecked`.
    public var isWritten: Bool
    /// Whether this store holds edits of the item not on the server yet.
    public var hasPendingChanges: Bool
}
