/// JSON as boxed Swift values (`Bool`, `Int`, `Double`, `String`, arrays and string-keyed dictionaries, nil for
/// null): the form free-form containers hold, such as OpenAPI's runtime containers on both server and client.
extension JSONValue {
    public init(sendable value: (any Sendable)?) {
        switch value {
        case nil: self = .null
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .int(Int64(value))
        case let value as Int64: self = .int(value)
        case let value as Double: self = .double(value)
        case let value as String: self = .string(value)
        case let value as [(any Sendable)?]: self = .array(value.map(JSONValue.init(sendable:)))
        case let value as [String: (any Sendable)?]: self = .object(value.mapValues(JSONValue.init(sendable:)))
        default: self = .null
        }
    }

    public var sendableValue: (any Sendable)? {
        switch self {
        case .null: nil
        case .bool(let value): value
        case .int(let value): Int(value)
        case .double(let value): value
        case .string(let value): value
        case .array(let values): values.map(\.sendableValue) as [(any Sendable)?]
        case .object(let values): values.mapValues(\.sendableValue) as [String: (any Sendable)?]
        }
    }
}
