import Foundation
import Testing

@testable import RevisitModel

@Suite("Hybrid logical clock")
struct HLCTests {
    @Test("HLC orders by wall, then counter")
    func ordering() {
        #expect(HLC(wall: 1, counter: 9) < HLC(wall: 2, counter: 0))
        #expect(HLC(wall: 2, counter: 0) < HLC(wall: 2, counter: 1))
        #expect(!(HLC(wall: 2, counter: 1) < HLC(wall: 2, counter: 1)))
        #expect(HLC.zero == HLC(wall: 0, counter: 0))
    }

    @Test("HLC codes as {wall, counter} and refuses counters out of range")
    func coding() throws {
        let data = try JSONEncoder().encode(HLC(wall: 1_732_269_600_000, counter: 3))
        #expect(try JSONValue.parse(data) == ["wall": 1_732_269_600_000, "counter": 3])
        #expect(try JSONDecoder().decode(HLC.self, from: data) == HLC(wall: 1_732_269_600_000, counter: 3))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(HLC.self, from: Data(#"{"wall":1,"counter":65536}"#.utf8))
        }
    }

    @Test("stamps break ties by clientId compared as UTF-8 bytes")
    func stampTieBreak() {
        let hlc = HLC(wall: 10, counter: 0)
        #expect(HLCStamp(hlc: hlc, clientId: "a") < HLCStamp(hlc: hlc, clientId: "b"))
        #expect(HLCStamp(hlc: hlc, clientId: "B") < HLCStamp(hlc: hlc, clientId: "a"))
        // "e\u{301}" and "é" are equal Swift strings, but their bytes differ: 0x65 < 0xC3.
        #expect(HLCStamp(hlc: hlc, clientId: "e\u{301}") < HLCStamp(hlc: hlc, clientId: "\u{e9}"))
        #expect(!(HLCStamp(hlc: hlc, clientId: "\u{e9}") < HLCStamp(hlc: hlc, clientId: "e\u{301}")))
        #expect(HLCStamp(hlc: hlc, clientId: "z") < HLCStamp(hlc: HLC(wall: 10, counter: 1), clientId: "a"))
    }

    @Test("tick follows physical time and counts within a millisecond")
    func tick() {
        var clock = HybridLogicalClock()
        #expect(clock.tick(physicalMillis: 100) == HLC(wall: 100, counter: 0))
        #expect(clock.tick(physicalMillis: 100) == HLC(wall: 100, counter: 1))
        #expect(clock.tick(physicalMillis: 105) == HLC(wall: 105, counter: 0))
        #expect(clock.last == HLC(wall: 105, counter: 0))
    }

    @Test("tick stays monotonic when the physical clock goes backwards")
    func tickMonotonic() {
        var clock = HybridLogicalClock()
        var previous = clock.tick(physicalMillis: 1000)
        for physical in [999, 500, 1000, 0, 1001, 1001, 700] as [Int64] {
            let next = clock.tick(physicalMillis: physical)
            #expect(previous < next)
            previous = next
        }
        #expect(previous == HLC(wall: 1001, counter: 2))
    }

    @Test("receive moves past the remote clock and the local one")
    func receive() {
        var clock = HybridLogicalClock(last: HLC(wall: 100, counter: 5))
        // Remote ahead of everything: take its wall, counter + 1.
        #expect(clock.receive(HLC(wall: 200, counter: 7), physicalMillis: 150) == HLC(wall: 200, counter: 8))
        // Same wall on both sides: the larger counter + 1.
        #expect(clock.receive(HLC(wall: 200, counter: 20), physicalMillis: 150) == HLC(wall: 200, counter: 21))
        // Local ahead of the remote: local counter + 1.
        #expect(clock.receive(HLC(wall: 190, counter: 99), physicalMillis: 150) == HLC(wall: 200, counter: 22))
        // Physical time ahead of both: counter restarts.
        #expect(clock.receive(HLC(wall: 250, counter: 3), physicalMillis: 300) == HLC(wall: 300, counter: 0))
        // A slow tablet orders its next edit after the server's clock.
        var tablet = HybridLogicalClock()
        _ = tablet.receive(HLC(wall: 5000, counter: 2), physicalMillis: 1000)
        #expect(tablet.tick(physicalMillis: 1001) == HLC(wall: 5000, counter: 4))
    }

    @Test("counter overflow carries into the next millisecond")
    func counterOverflow() {
        var clock = HybridLogicalClock(last: HLC(wall: 100, counter: HLC.maxCounter))
        #expect(clock.tick(physicalMillis: 100) == HLC(wall: 101, counter: 0))
        var receiver = HybridLogicalClock(last: HLC(wall: 100, counter: 1))
        #expect(
            receiver.receive(HLC(wall: 100, counter: HLC.maxCounter), physicalMillis: 50) == HLC(wall: 101, counter: 0)
        )
        var counting = HybridLogicalClock()
        var previous = HLC.zero
        for _ in 0...(HLC.maxCounter + 1) {
            let next = counting.tick(physicalMillis: 7)
            #expect(next.counter <= HLC.maxCounter)
            if !(previous < next) { Issue.record("not monotonic: \(previous) then \(next)") }
            previous = next
        }
        #expect(previous == HLC(wall: 8, counter: 0))
    }

    @Test("clamp refuses walls more than 60 s ahead of the server")
    func clamp() {
        let server: Int64 = 1_000_000
        #expect(!HLCClamp.isTooFarAhead(HLC(wall: server + 60_000, counter: 9), serverMillis: server))
        #expect(HLCClamp.isTooFarAhead(HLC(wall: server + 60_001, counter: 0), serverMillis: server))
        #expect(!HLCClamp.isTooFarAhead(HLC(wall: 0, counter: 0), serverMillis: server))
    }
}
