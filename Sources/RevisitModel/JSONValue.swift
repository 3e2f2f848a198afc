import Foundation

/// A JSON value of any shape: the type of a mutation's `fields` and of a row's stored state.
///
/// Mutations carry arbitrary JSON per field, and the merge rules compare and pick values without knowing
/// their schema, so the model keeps them as plain JSON rather than as typed records. It encodes and decodes as
/// the plain JSON it stands for (no wrapper object).
///
/// Decoding tries, in order: null, `Bool`, `Int64`, `Double`, `String`, array, object; so a JSON number that
/// fits an `Int64` becomes ``int(_:)`` (the decoder accepts `3.0` as an integer) and any other number
/// ``double(_:)``. A ``double(_:)`` built in code stays a double even when integral; ``intValue`` and
/// ``sameValue(as:)`` treat numerically equal numbers alike, so the two spellings never cause a conflict.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, if this is an ``int(_:)`` or an integral ``double(_:)`` that fits an `Int64`: clients in
    /// languages with a single number type may send `3.0` for `3`.
    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    /// The number as a `Double`, from either number case.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The boolean, if this is one (numbers are not booleans).
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is JSON `null`, which in a mutation clears an optional field.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether this is a number of either case.
    public var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }
}

extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// Literals keep tests and fixed documents readable: `["status": "now", "remainingKm": 4000]`. There is
    /// deliberately no `nil` literal: `fields["note"] = nil` must keep removing the key, and JSON null is `.null`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
