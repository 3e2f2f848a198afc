import Foundation
import Testing

@testable import RevisitModel

@Suite("JSONValue")
struct JSONValueTests {
    @Test("decodes every JSON type in the documented order")
    func decodesTypes() throws {
        let value = try JSONValue.parse(
            Data(#"{"n":null,"b":true,"i":42,"d":1.5,"s":"x","a":[1,"y"],"o":{"k":false},"big":1e300}"#.utf8)
        )
        #expect(
            value
                == .object([
                    "n": .null, "b": .bool(true), "i": .int(42), "d": .double(1.5), "s": .string("x"),
                    "a": .array([.int(1), .string("y")]), "o": .object(["k": .bool(false)]), "big": .double(1e300),
                ])
        )
    }

    @Test("parses top-level fragments and refuses non-JSON")
    func fragments() throws {
        #expect(try JSONValue.parse(Data("\"hi\"".utf8)) == .string("hi"))
        #expect(try JSONValue.parse(Data("null".utf8)) == .null)
        #expect(throws: (any Error).self) { try JSONValue.parse(Data("{nope".utf8)) }
    }

    @Test("writes compact JSON with keys sorted by UTF-8 bytes")
    func sortedCompactOutput() {
        let value: JSONValue = ["b": 1, "a": [true, .null, 2.5], "B": "q\"\n\u{1}", "é": 3.0]
        #expect(value.jsonString == #"{"B":"q\"\n\u0001","a":[true,null,2.5],"b":1,"é":3.0}"#)
        #expect(value.jsonData() == Data(value.jsonString.utf8))
    }

    @Test("round-trips through its own JSON text")
    func roundTrip() throws {
        let value: JSONValue = ["photos": ["ab", "cd"], "measurement": ["value": 3.25, "unit": "mm"], "x": .null]
        #expect(try JSONValue.parse(value.jsonData()) == value)
        #expect(JSONValue.double(.nan).jsonString == "null")
    }

    @Test("accessors read only their own case, intValue also integral doubles")
    func accessors() {
        #expect(JSONValue.double(3.0).intValue == 3)
        #expect(JSONValue.double(3.5).intValue == nil)
        #expect(JSONValue.double(1e30).intValue == nil)
        #expect(JSONValue.int(7).doubleValue == 7.0)
        #expect(JSONValue.string("7").intValue == nil)
        #expect(JSONValue.int(1).boolValue == nil)
        #expect(JSONValue.bool(true).boolValue == true)
        #expect(JSONValue.null.isNull)
        #expect(!JSONValue.string("").isNull)
        #expect(JSONValue.array([1]).arrayValue == [.int(1)])
        #expect(JSONValue.object(["a": 1]).objectValue == ["a": .int(1)])
        #expect(JSONValue.string("a").stringValue == "a")
    }

    @Test("sameValue compares numbers by value at any depth")
    func sameValue() {
        #expect(JSONValue.int(3).sameValue(as: .double(3.0)))
        #expect(JSONValue.double(3.0).sameValue(as: .int(3)))
        #expect(!JSONValue.int(3).sameValue(as: .double(3.1)))
        #expect(JSONValue.object(["v": 3, "u": "mm"]).sameValue(as: .object(["v": 3.0, "u": "mm"])))
        #expect(!JSONValue.object(["v": 3]).sameValue(as: .object(["w": 3])))
        #expect(JSONValue.array([1, 2]).sameValue(as: .array([1.0, 2.0])))
        #expect(!JSONValue.array([1, 2]).sameValue(as: .array([2, 1])))
        #expect(!JSONValue.string("3").sameValue(as: .int(3)))
        #expect(!JSONValue.null.sameValue(as: .bool(false)))
        #expect(JSONValue.int(3) != JSONValue.double(3.0))
    }
}
