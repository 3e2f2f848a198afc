import Foundation
import RevisitModel

/// What `setItem` changes on one checklist item; a nil property is left as it is.
public struct ItemChange: Sendable, Hashable {
    public var status: ItemStatus?
    /// The value measured; the unit defaults to the template item's.
    public var measurement: MeasuredValue?
    public var note: String?
    public var estimatedCost: Money?
    public var remainingKm: Int64?
    /// `YYYY-MM-DD`.
    public var dueDate: String?
    /// Photo files to attach: read, hashed and kept in the store now, uploaded at the next sync, and added to the
    /// item's `photos` (which merge as a union, so no tablet's photo is lost).
    public var photoFiles: [URL]
    public var customerDecision: CustomerDecision?

    public init(
        status: ItemStatus? = nil,
        measurement: MeasuredValue? = nil,
        note: String? = nil,
        estimatedCost: Money? = nil,
        remainingKm: Int64? = nil,
        dueDate: String? = nil,
        photoFiles: [URL] = [],
        customerDecision: CustomerDecision? = nil
    ) {
        self.status = status
        self.measurement = measurement
        self.note = note
        self.estimatedCost = estimatedCost
        self.remainingKm = remainingKm
        self.dueDate = dueDate
        self.photoFiles = photoFiles
        self.customerDecision = customerDecision
    }

    /// Whether nothing would change.
    public var isEmpty: Bool {
        status == nil && measurement == nil && note == nil && estimatedCost == nil && remainingKm == nil
            && dueDate == nil && photoFiles.isEmpty && customerDecision == nil
    }
}
