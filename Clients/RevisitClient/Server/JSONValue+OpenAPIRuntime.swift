import OpenAPIRuntime
import RevisitModel

/// The boundary between the generated types' free-form containers (`fields`, conflict values) and the model's
/// ``RevisitModel/JSONValue``; nothing past it sees OpenAPIRuntime's boxed values.
extension JSONValue {
    init(runtimeValue value: (any Sendable)?) {
        switch value {
        case nil: self = .null
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .int(Int64(value))
        case let value as Int64: self = .int(value)
        case let value as Double: self = .double(value)
        case let value as String: self = .string(value)
        case let value as [(any Sendable)?]: self = .array(value.map(JSONValue.init(runtimeValue:)))
        case let value as [String: (any Sendable)?]: self = .object(value.mapValues(JSONValue.init(runtimeValue:)))
        default: self = .null
        }
    }

    var runtimeValue: (any Sendable)? {
        switch self {
        case .null: nil
        case .bool(let value): value
        case .int(let value): Int(value)
        case .double(let value): value
        case .string(let value): value
        case .array(let values): values.map(\.runtimeValue) as [(any Sendable)?]
        case .object(let values): values.mapValues(\.runtimeValue) as [String: (any Sendable)?]
        }
    }
}

extension OpenAPIObjectContainer {
    /// The container of an object of JSON values (the values are JSON-compatible by construction).
    init(fields: [String: JSONValue]) throws {
        try self.init(unvalidatedValue: fields.mapValues(\.runtimeValue))
    }

    var jsonFields: [String: JSONValue] { value.mapValues(JSONValue.init(runtimeValue:)) }
}
