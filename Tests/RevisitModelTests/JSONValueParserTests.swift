import Foundation
import Testing

@testable import RevisitModel

@Suite("JSON parser")
struct JSONValueParserTests {
    @Test("escapes, surrogate pairs, numbers and literals")
    func parsesTheHardParts() throws {
        let text =
            #"{"a":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude97","n":[0,-12,3.5,1e3,-0.25,9223372036854775807],"t":true,"f":false,"z":null}"#
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(value.objectValue?["a"] == .string("x\"\\/\u{8}\u{c}\n\r\té🚗"))
        #expect(
            value.objectValue?["n"] == [
                .int(0), .int(-12), .double(3.5), .double(1000), .double(-0.25), .int(Int64.max),
            ]
        )
        #expect(value.objectValue?["t"] == true && value.objectValue?["f"] == false && value.objectValue?["z"] == .null)
    }

    @Test(
        "refuses what is not JSON",
        arguments: [
            "", "{", "[1,]", "{\"a\" 1}", "tru", "\"open", "01x", "{\"a\":1}}", "[\"\u{1}\"]", "\"\\q\"", "-", "1.2.3e",
            String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        ]
    )
    func refuses(_ text: String) {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test("what it writes it reads back (1,000 random documents)")
    func roundTrips() throws {
        var rng = SplitMix64(seed: 7)
        func random(_ depth: Int) -> JSONValue {
            switch Int(rng.next() % (depth > 3 ? 5 : 7)) {
            case 0: return .null
            case 1: return .bool(rng.next() % 2 == 0)
            case 2: return .int(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 60))
            case 3: return .double(Double(Int64(bitPattern: rng.next()) % 1_000_000) / 7.0)
            case 4:
                let pool = ["", "a", "é", "🚗", "\"", "\\", "\n", "\u{1}", "x y", "ü\u{7f}"]
                return .string(
                    (0..<Int(rng.next() % 4)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }.joined()
                )
            case 5: return .array((0..<Int(rng.next() % 4)).map { _ in random(depth + 1) })
            default:
                return .object(Dictionary((0..<Int(rng.next() % 4)).map { ("k\($0)", random(depth + 1)) }) { $1 })
            }
        }
        for _ in 0..<1000 {
            let value = random(0)
            let parsed = try JSONValue.parse(value.jsonData())
            #expect(parsed.sameValue(as: value), "\(value.jsonString)")
        }
    }
}
