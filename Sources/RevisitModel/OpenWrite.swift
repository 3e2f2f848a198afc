/// A write to one field that no later write has seen yet (DESIGN section 5).
public struct OpenWrite: Sendable, Hashable, Codable {
    /// The value written.
    public var value: JSONValue
    /// The writer's `clientId`.
    public var clientId: String
    /// The writer's clock at the edit (clamped by the server if it ran far ahead).
    public var hlc: HLC
    /// The row version the write gave the row: its stamp, compared with later writes' `baseVersion`.
    public var version: Int64

    public init(value: JSONValue, clientId: String, hlc: HLC, version: Int64) {
        self.value = value
        self.clientId = clientId
        self.hlc = hlc
        self.version = version
    }

    /// The write's place in the total order of writes.
    public var stamp: HLCStamp {
        HLCStamp(hlc: hlc, clientId: clientId)
    }

    /// The deterministic order of open writes: by ``stamp``, then by version (which no two writes share).
    static func precedes(_ lhs: OpenWrite, _ rhs: OpenWrite) -> Bool {
        if lhs.stamp != rhs.stamp { return lhs.stamp < rhs.stamp }
        return lhs.version < rhs.version
    }
}
