import Foundation

extension JSONValue {
    /// Parses one JSON document (any value at the top level, not only objects).
    ///
    /// - Throws: when `data` is not JSON (or nests deeper than 256 levels).
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONValueParser.parse(data)
    }

    /// The compact JSON text of this value with object keys sorted by their UTF-8 bytes.
    ///
    /// The same value always gives the same bytes, so stored states and hashes over them are stable. It never
    /// throws: a non-finite double (which no JSON text can produce) is written as `null`.
    public func jsonData() -> Data {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output)
        return Data(output)
    }

    /// The compact, key-sorted JSON text of ``jsonData()`` as a string.
    public var jsonString: String {
        var output: [UInt8] = []
        write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes into bytes: every push writes each touched row's fields and open writes, so this stays off `String`
    /// appends and copies runs of plain characters at once.
    private func write(to output: inout [UInt8]) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value):
            output.append(contentsOf: String(value).utf8)
        case .double(let value):
            // Swift's description is the shortest text that reads back as the same double, and it is valid
            // JSON for every finite value ("3.0", "1e+20", "-0.0").
            output.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
        case .string(let value):
            Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[key]!.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                output.append(contentsOf: bytes[runStart..<index])
                runStart = index + 1
                switch byte {
                case 0x22: output.append(contentsOf: "\\\"".utf8)
                case 0x5C: output.append(contentsOf: "\\\\".utf8)
                case 0x0A: output.append(contentsOf: "\\n".utf8)
                case 0x0D: output.append(contentsOf: "\\r".utf8)
                case 0x09: output.append(contentsOf: "\\t".utf8)
                case 0x08: output.append(contentsOf: "\\b".utf8)
                case 0x0C: output.append(contentsOf: "\\f".utf8)
                default:
                    let hex = String(byte, radix: 16)
                    output.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            }
            output.append(contentsOf: bytes[runStart..<bytes.count])
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Whether two values mean the same JSON: like `==`, except that numbers compare by numeric value, at any
    /// depth (`.int(3)` is the same value as `.double(3.0)`).
    ///
    /// Conflict detection uses this, so that two tablets writing `3` and `3.0` do not make a conflict.
    public func sameValue(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let left), .int(let right)):
            return left == right
        case (.double(let left), .double(let right)):
            return left == right
        case (.int(let left), .double(let right)), (.double(let right), .int(let left)):
            return Int64(exactly: right) == left
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.sameValue(as: $1) }
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            return left.allSatisfy { key, value in right[key].map { value.sameValue(as: $0) } ?? false }
        default:
            return self == other
        }
    }
}
