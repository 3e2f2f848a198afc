import Foundation
import RevisitModel
import RevisitStore

/// Reads a push body exactly as the spec's `PushRequest` schema allows (unknown keys and wrong types refused,
/// naming the path), straight from JSON into the store's mutations: decoding 500 mutations through the generated
/// `Codable` types and their free-form containers cost a quarter of the server's time on a push.
struct PushRequestReader {
    struct Request {
        var clientId: String
        var mutations: [IncomingMutation]
    }

    static func read(_ body: [UInt8]) throws -> Request {
        let json: JSONValue
        do {
            json = try JSONValue.parse(Data(body))
        } catch {
            throw APIProblem.malformed("the body is not JSON: \(error)")
        }
        let top = try object(
            json,
            "the body",
            allowed: ["clientId", "mutations"],
            required: ["clientId", "mutations"]
        )
        guard let clientId = top["clientId"]?.stringValue else {
            throw APIProblem.malformed("clientId: expected a string")
        }
        guard let list = top["mutations"]?.arrayValue else {
            throw APIProblem.malformed("mutations: expected an array")
        }
        let mutations = try list.enumerated().map { index, value in try mutation(value, "mutations[\(index)]") }
        return Request(clientId: clientId, mutations: mutations)
    }

    private static let mutationKeys: Set<String> = ["id", "entity", "entityId", "op", "baseVersion", "hlc", "fields"]

    private static func mutation(_ value: JSONValue, _ path: String) throws -> IncomingMutation {
        let m = try object(
            value,
            path,
            allowed: mutationKeys,
            required: ["id", "entity", "entityId", "op", "baseVersion", "hlc"]
        )
        let hlc = try object(m["hlc"]!, "\(path).hlc", allowed: ["wall", "counter"], required: ["wall", "counter"])
        let op: MutationOp
        switch m["op"]?.stringValue {
        case "upsert": op = .upsert
        case "delete": op = .delete
        default: throw APIProblem.malformed("\(path).op: expected \"upsert\" or \"delete\"")
        }
        var fields: [String: JSONValue] = [:]
        if let given = m["fields"], given != .null {
            guard let object = given.objectValue else {
                throw APIProblem.malformed("\(path).fields: expected an object")
            }
            fields = object
        }
        return IncomingMutation(
            id: try integer(m["id"], "\(path).id"),
            entity: try string(m["entity"], "\(path).entity"),
            entityId: try string(m["entityId"], "\(path).entityId"),
            op: op,
            baseVersion: try integer(m["baseVersion"], "\(path).baseVersion"),
            hlc: HLC(
                wall: try integer(hlc["wall"], "\(path).hlc.wall"),
                counter: Int(clamping: try integer(hlc["counter"], "\(path).hlc.counter"))
            ),
            fields: fields
        )
    }

    private static func object(
        _ value: JSONValue,
        _ path: String,
        allowed: Set<String>,
        required: [String]
    ) throws -> [String: JSONValue] {
        guard let object = value.objectValue else { throw APIProblem.malformed("\(path): expected an object") }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIProblem.malformed("\(path): unknown field \"\(unknown)\"")
        }
        if let missing = required.first(where: { object[$0] == nil || object[$0] == .null }) {
            throw APIProblem.malformed("\(path): the field \"\(missing)\" is required")
        }
        return object
    }

    private static func integer(_ value: JSONValue?, _ path: String) throws -> Int64 {
        switch value {
        case .int(let number): return number
        case .double(let number) where number.rounded() == number && abs(number) < 9.2e18: return Int64(number)
        default: throw APIProblem.malformed("\(path): expected an integer")
        }
    }

    private static func string(_ value: JSONValue?, _ path: String) throws -> String {
        guard let text = value?.stringValue else { throw APIProblem.malformed("\(path): expected a string") }
        return text
    }
}
