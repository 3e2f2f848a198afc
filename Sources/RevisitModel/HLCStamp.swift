/// An ``HLC`` together with the client that made the write: the total order of writes (DESIGN section 4).
///
/// Two tablets can read the same clock value, so the writer's `clientId` breaks the tie. It is compared by its
/// UTF-8 bytes, not by Swift's Unicode-aware `String` ordering, so that clients in every language agree; equality
/// and hashing use the bytes too, so that two stamps are equal exactly when neither orders before the other.
public struct HLCStamp: Sendable, Hashable, Comparable {
    public var hlc: HLC
    public var clientId: String

    public init(hlc: HLC, clientId: String) {
        self.hlc = hlc
        self.clientId = clientId
    }

    public static func == (lhs: HLCStamp, rhs: HLCStamp) -> Bool {
        lhs.hlc == rhs.hlc && lhs.clientId.utf8.elementsEqual(rhs.clientId.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hlc)
        hasher.combine(clientId.utf8.count)
        for byte in clientId.utf8 { hasher.combine(byte) }
    }

    public static func < (lhs: HLCStamp, rhs: HLCStamp) -> Bool {
        if lhs.hlc != rhs.hlc { return lhs.hlc < rhs.hlc }
        return lhs.clientId.utf8.lexicographicallyPrecedes(rhs.clientId.utf8)
    }
}
