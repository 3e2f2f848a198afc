import OpenAPIRuntime
import RevisitModel

/// The boundary between the generated types' free-form containers (`fields`, conflict values) and the model's
/// ``RevisitModel/JSONValue``; nothing past it sees OpenAPIRuntime's boxed values.
extension OpenAPIObjectContainer {
    /// The container of an object of JSON values (the values are JSON-compatible by construction).
    init(fields: [String: JSONValue]) throws {
        try self.init(unvalidatedValue: fields.mapValues(\.sendableValue))
    }

    var jsonFields: [String: JSONValue] { value.mapValues(JSONValue.init(sendable:)) }
}
