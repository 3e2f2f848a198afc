import Foundation
import RevisitModel

/// One line of an inspection list: enough to pick the inspection.
public struct InspectionSummary: Sendable, Hashable {
    /// The inspection's id.
    public var id: UUID
    /// Where it is in its life.
    public var state: InspectionState
    /// The vehicle's plate.
    public var plate: String?
    /// The vehicle's VIN.
    public var vin: String?
    /// When it was done (RFC 3339).
    public var inspectedAt: String?
    /// Who did it.
    public var mechanic: String?
    /// Items that are `now` and `later`, the figures a service advisor looks at first.
    public var nowCount: Int
    /// Items that are `later`.
    public var laterCount: Int
    /// Items written so far, of the template's count.
    public var checkedCount: Int
    /// Items in its template.
    public var templateItemCount: Int
    /// Whether this store holds edits of it not on the server yet.
    public var hasPendingChanges: Bool
}
