/// A write as the API and both stores' conflict logs show it: `{"value", "clientId", "hlc": {"wall", "counter"},
/// "version"}`. One form, so a conflict record reads the same on the server, in a push answer and on a tablet.
extension OpenWrite {
    public var json: JSONValue {
        .object([
            "value": value, "clientId": .string(clientId),
            "hlc": .object(["wall": .int(hlc.wall), "counter": .int(Int64(hlc.counter))]), "version": .int(version),
        ])
    }

    public init?(json: JSONValue) {
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
