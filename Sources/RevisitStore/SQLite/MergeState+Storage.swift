import Foundation
import RevisitModel

/// The stored form of a row's open writes: compact arrays rather than keyed objects, because every push reads and
/// writes it for every row it touches.
extension MergeState {
    func storageJSON() -> JSONValue {
        .object(
            fields.mapValues { writes in
                .array(
                    writes.map {
                        .array([
                            $0.value, .string($0.clientId), .int($0.hlc.wall), .int(Int64($0.hlc.counter)),
                            .int($0.version),
                        ])
                    }
                )
            }
        )
    }

    init(storageJSON json: JSONValue) {
        var fields: [String: [OpenWrite]] = [:]
        for (field, writes) in json.objectValue ?? [:] {
            fields[field] = (writes.arrayValue ?? []).compactMap { write in
                guard let parts = write.arrayValue, parts.count == 5, let clientId = parts[1].stringValue,
                    let wall = parts[2].intValue, let counter = parts[3].intValue, let version = parts[4].intValue
                else { return nil }
                return OpenWrite(
                    value: parts[0],
                    clientId: clientId,
                    hlc: HLC(wall: wall, counter: Int(counter)),
                    version: version
                )
            }
        }
        self.init(fields: fields)
    }
}

extension OpenWrite {
    /// The API's shape of a write in a conflict record.
    var json: JSONValue {
        .object([
            "value": value, "clientId": .string(clientId),
            "hlc": .object(["wall": .int(hlc.wall), "counter": .int(Int64(hlc.counter))]), "version": .int(version),
        ])
    }

    init?(json: JSONValue) {
        guard let object = json.objectValue, let clientId = object["clientId"]?.stringValue,
            let hlc = object["hlc"]?.objectValue, let wall = hlc["wall"]?.intValue,
            let counter = hlc["counter"]?.intValue, let version = object["version"]?.intValue
        else { return nil }
        self.init(
            value: object["value"] ?? .null,
            clientId: clientId,
            hlc: HLC(wall: wall, counter: Int(counter)),
            version: version
        )
    }
}
