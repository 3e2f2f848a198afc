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
        var output = ""
        write(to: &output)
        return Data(output.utf8)
    }

    /// The compact, key-sorted JSON text of ``jsonData()`` as a string.
    public var jsonString: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null:
            output += "null"
        case .bool(let value):
            output += value ? "true" : "false"
        case .int(let value):
            output += String(value)
        case .double(let value):
            // Swift's description is the shortest text that reads back as the same double, and it is valid
            // JSON for every finite value ("3.0", "1e+20", "-0.0").
            output += value.isFinite ? "\(value)" : "null"
        case .string(let value):
            Self.writeString(value, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]!.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
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
