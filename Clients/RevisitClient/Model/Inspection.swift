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
    public var templateVersion: Int?
    /// Kilometres on the clock.
    public var odometer: Int64?
    /// When the inspection was done (RFC 3339).
    public var inspectedAt: String?
    public var mechanic: String?
    /// The inspected vehicle, if the store knows it.
    public var vehicle: Vehicle?
    /// The vehicle's owner, if known.
    public var customer: Customer?
    /// The checklist, in template order; codes the template does not have (a newer version's) come last.
    public var items: [InspectionItem]
    /// Whether this store holds edits of the inspection or its items that are not on the server yet.
    public var hasPendingChanges: Bool
    /// The inspection's merged fields as the API names them, for callers that need a field this type lacks.
    public var fields: [String: JSONValue]

    /// The item with `code`.
    public func item(_ code: String) -> InspectionItem? { items.first { $0.code == code } }
}

/// One checklist item of an ``Inspection``.
public struct InspectionItem: Sendable, Hashable {
    /// The derived id (``RevisitModel/DerivedID/item(inspectionId:code:)``).
    public var id: UUID
    public var code: String
    /// From the template; the code itself when the cached template does not have it.
    public var title: String
    public var category: String
    /// The template's unit for measurements, if any.
    public var unit: String?
    public var status: ItemStatus
    public var measurement: Measurement?
    public var note: String?
    public var estimatedCost: Money?
    public var remainingKm: Int64?
    /// `YYYY-MM-DD`.
    public var dueDate: String?
    /// SHA-256 of each photo.
    public var photos: [String]
    public var customerDecision: CustomerDecision?
    /// The server version last pulled; nil when the server has no row for it yet.
    public var version: Int64?
    /// Whether anyone has written the item (locally or on the server); false for a template item shown as
    /// `unchecked`.
    public var isWritten: Bool
    /// Whether this store holds edits of the item not on the server yet.
    public var hasPendingChanges: Bool
}

/// A vehicle as the local store shows it.
public struct Vehicle: Sendable, Hashable {
    public var id: UUID
    public var version: Int64?
    public var plate: String?
    public var vin: String?
    public var make: String?
    public var model: String?
    public var year: Int64?
    public var customerId: UUID?
    public var kind: VehicleKind
}

/// A customer as the local store shows it.
public struct Customer: Sendable, Hashable {
    public var id: UUID
    public var version: Int64?
    public var name: String?
    public var phone: String?
    public var email: String?
    public var contactConsent: Bool?
}

/// One line of an inspection list: enough to pick the inspection.
public struct InspectionSummary: Sendable, Hashable {
    public var id: UUID
    public var state: InspectionState
    public var plate: String?
    public var vin: String?
    public var inspectedAt: String?
    public var mechanic: String?
    /// Items that are `now` and `later`, the figures a service advisor looks at first.
    public var nowCount: Int
    public var laterCount: Int
    /// Items written so far, of the template's count.
    public var checkedCount: Int
    public var templateItemCount: Int
    public var hasPendingChanges: Bool
}
