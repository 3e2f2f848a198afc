import Foundation
import OpenAPIRuntime
import RevisitModel
import RevisitStore

/// The boundary between the generated types' free-form containers and ``JSONValue``, the model's value type.
extension JSONValue {
    var valueContainer: OpenAPIValueContainer { (try? OpenAPIValueContainer(unvalidatedValue: sendableValue)) ?? nil }
}

/// Builds a generated response type from a row's JSON, so that the read API's shapes come from one place (the
/// spec) without hand-copying every field.
enum GeneratedModel {
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339DateTime.date(from: text) else {
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
    static func convert<Source: Encodable, Target: Decodable>(
        _ value: Source,
        to type: Target.Type = Target.self
    )
        throws -> Target
    {
        try make(JSONValue.parse(encoder.encode(value)).objectValue ?? [:])
    }
}

/// A list's `nextCursor`: a string, or `null` on the last page (written, not left out).
func nextCursorValue(_ cursor: String?) -> OpenAPIValueContainer {
    cursor.map { OpenAPIValueContainer(stringLiteral: $0) } ?? nil
}
