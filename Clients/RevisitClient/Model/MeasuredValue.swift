import RevisitModel

/// A measured value of a checklist item, such as 3.2 mm of brake pad.
public struct MeasuredValue: Sendable, Hashable, Codable {
    /// The number measured.
    public var value: Double
    /// Its unit; the template item's unit when the item has one (the server checks that they match).
    public var unit: String?

    public init(value: Double, unit: String? = nil) {
        self.value = value
        self.unit = unit
    }

    /// The measurement of an item's `measurement` field, if it has the shape the API uses.
    init?(json: JSONValue?) {
        guard let object = json?.objectValue, let value = object["value"]?.doubleValue else { return nil }
        self.init(value: value, unit: object["unit"]?.stringValue)
    }

    /// The `{"value", "unit"}` object of the API.
    var json: JSONValue {
        var object: [String: JSONValue] = ["value": Self.number(value)]
        if let unit { object["unit"] = .string(unit) }
        return .object(object)
    }

    /// An integral value as a JSON integer (`4000`, not `4000.0`), anything else as a double.
    static func number(_ value: Double) -> JSONValue {
        if let integer = Int64(exactly: value) { return .int(integer) }
        return .double(value)
    }
}
