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
