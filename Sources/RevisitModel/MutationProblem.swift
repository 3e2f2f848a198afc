/// Why a single mutation of a push was rejected: an RFC 9457 problem that the push result carries in its
/// `error` (DESIGN section 10).
///
/// A rejection does not stop the other mutations of the push, so it is a value, not an HTTP answer; the server
/// maps it to problem+json. `type` is the bare slug clients match on.
public struct MutationProblem: Error, Sendable, Hashable, Codable {
    /// The slug, e.g. `validation`.
    public var type: String
    /// A short summary that does not vary with the case (it may label a metric).
    public var title: String
    /// The HTTP status the problem would have on its own: 422 or 409.
    public var status: Int
    /// What is wrong with this mutation, for a person to act on.
    public var detail: String

    public init(type: String, title: String, status: Int, detail: String) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
    }

    /// A field unknown to its entity, or a value of the wrong type, format, length or range.
    public static func validation(_ detail: String) -> MutationProblem {
        MutationProblem(type: "validation", title: "Invalid field value", status: 422, detail: detail)
    }

    /// The `entity` is not one of the syncable kinds.
    public static func unknownEntity(_ detail: String) -> MutationProblem {
        MutationProblem(type: "unknown-entity", title: "Unknown entity", status: 422, detail: detail)
    }

    /// A referenced row (vehicle, customer, inspection, template) does not exist.
    public static func referenceMissing(_ detail: String) -> MutationProblem {
        MutationProblem(type: "reference-missing", title: "Referenced row missing", status: 422, detail: detail)
    }

    /// An item's `entityId` is not the one derived from its inspection and code.
    public static func itemIdMismatch(_ detail: String) -> MutationProblem {
        MutationProblem(type: "item-id-mismatch", title: "Item id is not the derived id", status: 422, detail: detail)
    }

    /// A photo hash that was not uploaded first.
    public static func attachmentMissing(_ detail: String) -> MutationProblem {
        MutationProblem(type: "attachment-missing", title: "Attachment not uploaded", status: 422, detail: detail)
    }

    /// An upsert of a deleted row: the delete wins.
    public static func entityDeleted(_ detail: String) -> MutationProblem {
        MutationProblem(type: "entity-deleted", title: "Entity deleted", status: 409, detail: detail)
    }

    /// A write to a closed or cancelled inspection, or to one of its items.
    public static func inspectionFinal(_ detail: String) -> MutationProblem {
        MutationProblem(type: "inspection-final", title: "Inspection is final", status: 409, detail: detail)
    }

    /// A delete of a vehicle or customer that live rows still reference.
    public static func referenceExists(_ detail: String) -> MutationProblem {
        MutationProblem(type: "reference-exists", title: "Entity still referenced", status: 409, detail: detail)
    }

    /// A lifecycle step the inspection may not take.
    public static func invalidTransition(_ detail: String) -> MutationProblem {
        MutationProblem(type: "invalid-transition", title: "Invalid state transition", status: 409, detail: detail)
    }
}
