/// A hybrid logical clock reading: Unix milliseconds plus a counter that orders events within one millisecond.
///
/// Every mutation carries one, and last-writer-wins merges order writes by it (with ``HLCStamp``), so edits
/// made on tablets with skewed clocks still order after what their writer had seen. It encodes as
/// `{"wall": …, "counter": …}` (DESIGN section 4).
public struct HLC: Sendable, Hashable, Codable, Comparable {
    /// Unix time in milliseconds.
    public var wall: Int64
    /// Orders events within one `wall` millisecond, `0...maxCounter`.
    public var counter: Int

    /// The largest counter the sync protocol allows (it travels as an unsigned 16-bit number).
    public static let maxCounter = 65535

    /// The clock before anything happened.
    public static let zero = HLC(wall: 0, counter: 0)

    public init(wall: Int64, counter: Int) {
        self.wall = wall
        self.counter = counter
    }

    public static func < (lhs: HLC, rhs: HLC) -> Bool {
        (lhs.wall, lhs.counter) < (rhs.wall, rhs.counter)
    }

    private enum CodingKeys: String, CodingKey {
        case wall, counter
    }

    /// Decodes `{"wall", "counter"}` and refuses a counter outside `0...maxCounter`, so an out-of-range clock
    /// never enters a merge state.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let wall = try container.decode(Int64.self, forKey: .wall)
        let counter = try container.decode(Int.self, forKey: .counter)
        guard (0...Self.maxCounter).contains(counter) else {
            throw DecodingError.dataCorruptedError(
                forKey: .counter,
                in: container,
                debugDescription: "counter must be 0...\(Self.maxCounter), got \(counter)"
            )
        }
        self.init(wall: wall, counter: counter)
    }
}
