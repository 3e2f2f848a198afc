/// How a field's open writes decide its value (DESIGN section 5); the raw value is the `rule` of a conflict
/// record.
public enum MergeRule: String, Sendable, Codable {
    /// Item `status`: the most severe finding wins, because safety comes first.
    case severity
    /// Inspection `state`: the furthest along the lifecycle wins.
    case lifecycle
    /// `photos`: the union, so no tablet's photo is lost.
    case union
    /// Everything else: the write with the greatest ``HLCStamp`` wins.
    case lastWriterWins = "last-writer-wins"
}

/// The `rule` of a conflict record that no merge decided, because ``WriteAdmission`` refused the write first.
public enum AdmissionRule: String, Sendable, Codable {
    /// A final inspection state: the first to arrive wins; a concurrent other final state is recorded, ended.
    case final
    /// A delete against a concurrent edit: the delete wins; the edit is recorded.
    case deleteWins = "delete-wins"
}
