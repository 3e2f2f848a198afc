/// The merge bookkeeping of one row: per field, its open writes (DESIGN section 5).
///
/// The store keeps it with the row; a client keeps it with its copy. Each field's writes are kept sorted by
/// ``OpenWrite/stamp``, so the state, and therefore its encoding, is the same whatever order the writes came in.
public struct MergeState: Sendable, Hashable, Codable {
    /// The open writes of every field ever written, by field name.
    public var fields: [String: [OpenWrite]]

    public init(fields: [String: [OpenWrite]] = [:]) {
        self.fields = fields.mapValues { $0.sorted(by: OpenWrite.precedes) }
    }
}
