import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

@testable import RevisitStore

/// What makes a writer's run a function of its inputs: its clock reading (``PushStamps``) and its ids
/// (``IdSource``) are values taken once, so running the rules again hands out the same stamps and ids.
@Suite("Writer inputs")
struct WriterInputsTests {
    static let millis: Int64 = 1_765_000_000_000

    /// Random client HLCs: some behind the server, some equal to it, some too far ahead (clamped).
    static func remotes(_ count: Int, seed: UInt64) -> [HLC] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let offset = Int64.random(in: -5_000...(HLCClamp.maxAheadMillis * 2), using: &generator)
            return HLC(wall: millis + offset, counter: Int.random(in: 0...3, using: &generator))
        }
    }

    @Test("two runs from the same reading hand out the same stamps; the highest is above every stamp and the start")
    func stampsAreAFunctionOfTheirInputs() {
        for seed in UInt64(1)...50 {
            let start = PushStamps(last: HLC(wall: Self.millis - 10, counter: 7), physicalMillis: Self.millis)
            let remotes = Self.remotes(40, seed: seed)
            var first = start
            var second = start
            let once = remotes.map { first.stamp($0) }
            let again = remotes.map { second.stamp($0) }
            #expect(once.map(\.hlc) == again.map(\.hlc) && once.map(\.clamped) == again.map(\.clamped))
            #expect(first.highest == second.highest)
            #expect(once.allSatisfy { $0.hlc <= first.highest } && start.highest <= first.highest)
            for (remote, stamp) in zip(remotes, once) {
                #expect(stamp.clamped == HLCClamp.isTooFarAhead(remote, serverMillis: Self.millis))
                if !stamp.clamped { #expect(stamp.hlc == remote) }
            }
        }
    }

    @Test("a reading starts above the tenant's stored HLC and the shared clock; commit moves the clock past it")
    func beginAndCommit() {
        let clock = TestWallClock()
        let shared = ServerHLC(clock: clock)
        let stored = HLC(wall: clock.nowMillis() + 60_000, counter: 3)
        var stamps = shared.begin(stored: stored)
        #expect(stamps.highest == stored)
        let tick = stamps.tick()
        #expect(tick > stored)
        #expect(shared.highest < tick, "nothing is shared before the commit")
        shared.commit(stamps)
        #expect(shared.highest == tick)
        #expect(shared.now() > tick)
    }

    @Test("ids from one source are distinct UUIDs of version 4; the same seed gives the same ids, another seed others")
    func idsAreAFunctionOfTheSeed() throws {
        let seed = UUID()
        var first = IdSource(seed: seed)
        var second = IdSource(seed: seed)
        var other = IdSource()
        var seen = Set<String>()
        for _ in 0..<2_000 {
            let id = first.uuid()
            #expect(id == second.uuid())
            #expect(seen.insert(id).inserted)
            #expect(id != other.uuid())
            let uuid = try #require(UUID(uuidString: id))
            #expect(uuid.uuid.6 >> 4 == 4, "version 4")
            #expect(uuid.uuid.8 >> 6 == 0b10, "RFC 4122 variant")
            #expect(id == id.lowercased())
        }
        let event = first.event()
        #expect(event == second.event())
        #expect(event.hasPrefix("evt_") && event.count == 36 && !event.contains("-"))
    }
}
