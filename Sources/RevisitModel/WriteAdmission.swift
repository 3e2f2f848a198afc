/// Which upserts a row still takes (DESIGN section 5), decided before any merge: a delete wins over an edit, and a
/// closed or cancelled inspection (with its items) takes no writes. The server rejects what is not admitted; a
/// client leaves it out of the row it shows, so an offline tablet shows what the server will make of its queue.
public enum WriteAdmission: Sendable, Equatable {
    case admitted
    /// The row is a tombstone: the upsert is rejected `entity-deleted` (and the server records the conflict).
    case deleted
    /// The inspection the row is, or belongs to, is final: rejected `inspection-final`.
    case final(InspectionState)

    /// - Parameters:
    ///   - deleted: whether the row is a tombstone.
    ///   - inspection: the state of the inspection the row is or belongs to, when known.
    public static func upsert(deleted: Bool, inspection: InspectionState?) -> Self {
        if deleted { return .deleted }
        if let inspection, inspection.isFinal { return .final(inspection) }
        return .admitted
    }
}
