import Foundation

/// The prefixed ids the store hands out (`evt_…` events, `dlv_…` deliveries, `whe_…` webhook endpoints): a prefix
/// and 32 hex digits of a random UUID, one spelling for both backends. Rules take ids as inputs; backends draw them
/// here.
enum StoreIds {
    static func event() -> String { prefixed("evt") }
    static func delivery() -> String { prefixed("dlv") }
    static func webhookEndpoint() -> String { prefixed("whe") }

    static func prefixed(_ prefix: String, _ uuid: UUID = UUID()) -> String {
        prefix + "_" + uuid.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}

/// The ids one writer's rules hand out (conflict records, follow-ups, events), drawn from a random seed taken once
/// per writer: running the rules again from the same source (PostgreSQL runs them again after fetching what a run
/// missed) hands out the same ids, so a plan is a function of its inputs. Each id is the seed with the draw's number
/// mixed into its last 48 bits, which keeps the version-4 and variant bits of the seed: distinct within a writer, and
/// as unlikely to meet another writer's as two random UUIDs.
struct IdSource: Sendable {
    private let seed: uuid_t
    private var drawn: UInt64 = 0

    init(seed: UUID = UUID()) { self.seed = seed.uuid }

    /// A lowercase UUID, as conflict and follow-up ids are spelled.
    mutating func uuid() -> String { next().uuidString.lowercased() }

    /// An `evt_…` id, spelled as ``StoreIds/event()``.
    mutating func event() -> String { StoreIds.prefixed("evt", next()) }

    private mutating func next() -> UUID {
        drawn += 1
        var bytes = seed
        withUnsafeMutableBytes(of: &bytes) { raw in
            for index in 0..<6 { raw[10 + index] ^= UInt8(truncatingIfNeeded: drawn >> (8 * UInt64(5 - index))) }
        }
        return UUID(uuid: bytes)
    }
}
