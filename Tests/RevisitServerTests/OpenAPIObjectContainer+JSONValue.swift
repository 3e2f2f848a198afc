import OpenAPIRuntime
import RevisitModel

/// Between the generated types' free-form objects and ``JSONValue``: only the tests need it, to build the spec's
/// reference answers that the fast push reader and pull responder are held equal to.
extension OpenAPIObjectContainer {
    init(_ fields: [String: JSONValue]) {
        self = (try? OpenAPIObjectContainer(unvalidatedValue: fields.mapValues(\.sendableValue))) ?? .init()
    }

    var jsonFields: [String: JSONValue] { value.mapValues(JSONValue.init(sendable:)) }
}
