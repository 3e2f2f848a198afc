/// Validates and normalises the `fields` of a mutation (DESIGN sections 3, 4 and 10).
///
/// Anything invalid inside `fields` rejects that one mutation with a `validation` problem, never the whole push,
/// and nothing invalid reaches the store: the database then never sees a value (an over-long string, a NUL
/// character) that it would refuse with a server error.
public enum FieldValidator {
    /// Fields a client may write, per entity.
    public static func writableFields(of entity: EntityKind) -> Set<String> {
        Set(rules(of: entity).keys)
    }

    /// Fields that must be present (and not null) when the row is created.
    public static func requiredOnCreate(of entity: EntityKind) -> Set<String> {
        switch entity {
        case .customer, .vehicle: []
        case .inspection: ["vehicleId"]
        case .item: ["inspectionId", "code"]
        }
    }

    /// Checks types, enums, formats, lengths and ranges, and returns the normalised fields.
    ///
    /// Normalisation: VIN and currency upper-cased, plate trimmed, UUIDs and photo hashes lower-cased, photos
    /// de-duplicated (first occurrence kept), integral numbers written as integers, a `null` photo list as `[]`,
    /// and a `null` `measurement.unit` or `estimatedCost.currency` left out. `null` clears an optional field;
    /// the fields the store needs (`vehicleId`, `inspectionId`, `code`) and those with a default (`state`,
    /// `status`, `kind`) cannot be null. Fields are checked in name order, so the first problem reported is the
    /// same every time.
    ///
    /// - Parameters:
    ///   - entity: the kind of row written.
    ///   - fields: the mutation's `fields`.
    ///   - isCreate: the row does not exist yet: then the ``requiredOnCreate(of:)`` fields must be present.
    /// - Throws: ``MutationProblem/validation(_:)`` whose detail names the field and what is wrong with it.
    public static func validate(
        entity: EntityKind,
        fields: [String: JSONValue],
        isCreate: Bool
    ) throws -> [String: JSONValue] {
        let rules = rules(of: entity)
        var normalised: [String: JSONValue] = [:]
        for name in fields.keys.sorted() {
            let value = fields[name]!
            let path = "\(entity.rawValue).\(name)"
            guard let rule = rules[name] else {
                let known = rules.keys.sorted().joined(separator: ", ")
                throw MutationProblem.validation("unknown field \(path); \(entity.rawValue) fields are: \(known)")
            }
            if value.isNull {
                guard rule.nullable else { throw MutationProblem.validation("\(path) may not be null") }
                normalised[name] = rule.nullValue
            } else {
                normalised[name] = try rule.check(value, path)
            }
        }
        if isCreate {
            for name in requiredOnCreate(of: entity).sorted() where normalised[name] == nil {
                throw MutationProblem.validation(
                    "\(entity.rawValue).\(name) is required when the \(entity.rawValue) is created"
                )
            }
        }
        return normalised
    }
}

/// How one field is checked.
struct FieldRule: Sendable {
    /// Whether `null` is accepted (it clears the field).
    var nullable: Bool
    /// What a `null` is stored as.
    var nullValue: JSONValue = .null
    /// Checks a non-null value and returns it normalised; the second argument is the field's path for messages.
    var check: @Sendable (JSONValue, String) throws -> JSONValue

    /// A field that may be cleared with `null`.
    static func optional(_ check: @escaping @Sendable (JSONValue, String) throws -> JSONValue) -> FieldRule {
        FieldRule(nullable: true, check: check)
    }

    /// A field that may not be `null`.
    static func nonNull(_ check: @escaping @Sendable (JSONValue, String) throws -> JSONValue) -> FieldRule {
        FieldRule(nullable: false, check: check)
    }
}
