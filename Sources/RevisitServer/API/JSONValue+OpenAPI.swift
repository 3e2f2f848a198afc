import Foundation
import OpenAPIRuntime
import RevisitModel
import RevisitStore

/// The boundary between the generated types' free-form containers and ``JSONValue``, the model's value type.
extension JSONValue {
    init(openAPI value: (any Sendable)?) {
        switch value {
        case nil: self = .null
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .int(Int64(value))
        case let value as Int64: self = .int(value)
        case let value as Double: self = .double(value)
        case let value as String: self = .string(value)
        case let value as [(any Sendable)?]: self = .array(value.map(JSONValue.init(openAPI:)))
        case let value as [String: (any Sendable)?]: self = .object(value.mapValues(JSONValue.init(openAPI:)))
        default: self = .null
        }
    }

    var openAPIValue: (any Sendable)? {
        switch self {
        case .null: nil
        case .bool(let value): value
        case .int(let value): Int(value)
        case .double(let value): value
        case .string(let value): value
        case .array(let values): values.map(\.openAPIValue) as [(any Sendable)?]
        case .object(let values): values.mapValues(\.openAPIValue) as [String: (any Sendable)?]
        }
    }

    var valueContainer: OpenAPIValueContainer { (try? OpenAPIValueContainer(unvalidatedValue: openAPIValue)) ?? nil }
}

extension OpenAPIObjectContainer {
    init(_ fields: [String: JSONValue]) {
        self = (try? OpenAPIObjectContainer(unvalidatedValue: fields.mapValues(\.openAPIValue))) ?? .init()
    }

    var jsonFields: [String: JSONValue] { value.mapValues(JSONValue.init(openAPI:)) }
}

/// Builds a generated response type from a row's JSON, so that the read API's shapes come from one place (the
/// spec) without hand-copying every field.
enum GeneratedModel {
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: text))
            }
            return date
        }
        return decoder
    }()

    static func make<T: Decodable>(_ json: [String: JSONValue], as type: T.Type = T.self) throws -> T {
        try decoder.decode(T.self, from: JSONValue.object(json).jsonData())
    }
}

extension GeneratedModel {
    private static let encoder = JSONEncoder()

    /// Converts between a domain type and the generated type of the same JSON shape.
    static func convert<Source: Encodable, Target: Decodable>(_ value: Source, to type: Target.Type = Target.self)
        throws -> Target
    {
        try make(JSONValue.parse(encoder.encode(value)).objectValue ?? [:])
    }
}

/// A list's `nextCursor`: a string, or `null` on the last page (written, not left out).
func nextCursorValue(_ cursor: String?) -> OpenAPIValueContainer {
    cursor.map { OpenAPIValueContainer(stringLiteral: $0) } ?? nil
}
