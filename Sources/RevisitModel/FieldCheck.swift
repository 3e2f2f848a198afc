/// The checks that ``FieldValidator`` combines: each takes a non-null value and the field's path (such as
/// `item.note`) and returns the value in its normal form, or throws a `validation` problem naming the path.
enum FieldCheck {
    /// A string whose length, counted in Unicode code points as JSON Schema's `maxLength` counts, is in
    /// `length`. NUL characters are refused: PostgreSQL cannot store them in text.
    static func string(_ value: JSONValue, _ path: String, length: ClosedRange<Int>) throws -> String {
        guard let text = value.stringValue else { throw wrongType(value, path, expected: "a string") }
        guard !text.unicodeScalars.contains("\u{0}") else {
            throw MutationProblem.validation("\(path) may not contain NUL characters")
        }
        return try self.length(text, path, length)
    }

    /// `text` if its length in code points is in `length`.
    static func length(_ text: String, _ path: String, _ length: ClosedRange<Int>) throws -> String {
        let count = text.unicodeScalars.count
        guard length.contains(count) else {
            let limit =
                length.lowerBound == 0
                ? "at most \(length.upperBound)"
                : length.upperBound == Int.max
                    ? "at least \(length.lowerBound)" : "\(length.lowerBound) to \(length.upperBound)"
            throw MutationProblem.validation("\(path) must be \(limit) characters long, got \(count)")
        }
        return text
    }

    /// A boolean.
    static func bool(_ value: JSONValue, _ path: String) throws -> Bool {
        guard let flag = value.boolValue else { throw wrongType(value, path, expected: "true or false") }
        return flag
    }

    /// An integer in `range`; an integral double such as `3.0` counts as an integer.
    static func integer(_ value: JSONValue, _ path: String, _ range: ClosedRange<Int64>) throws -> Int64 {
        guard let number = value.intValue else {
            if value.isNumber {
                throw MutationProblem.validation("\(path) must be a whole number, got \(value.jsonString)")
            }
            throw wrongType(value, path, expected: "an integer")
        }
        guard range.contains(number) else {
            throw MutationProblem.validation(
                "\(path) must be from \(range.lowerBound) to \(range.upperBound), got \(number)"
            )
        }
        return number
    }

    /// One of the raw values of `type`.
    static func enumeration<Value: RawRepresentable & CaseIterable>(
        _ type: Value.Type,
        _ value: JSONValue,
        _ path: String
    ) throws -> Value where Value.RawValue == String {
        let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = value.stringValue else { throw wrongType(value, path, expected: "one of \(allowed)") }
        guard let member = Value(rawValue: text) else {
            throw MutationProblem.validation("\(path) must be one of \(allowed); got \(quoted(text))")
        }
        return member
    }

    /// A UUID in its 8-4-4-4-12 hex form, any case; returned lower-cased.
    static func uuid(_ value: JSONValue, _ path: String) throws -> String {
        guard let text = value.stringValue else { throw wrongType(value, path, expected: "a UUID string") }
        let lower = text.lowercased()
        let scalars = Array(lower.unicodeScalars)
        let isUUID =
            scalars.count == 36
            && scalars.indices.allSatisfy { index in
                [8, 13, 18, 23].contains(index) ? scalars[index] == "-" : isLowerHex(scalars[index])
            }
        guard isUUID else {
            throw MutationProblem.validation(
                "\(path) must be a UUID like 0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b; got \(quoted(text))"
            )
        }
        return lower
    }

    /// An e-mail address: at most 254 characters with exactly one `@` and text on both sides of it.
    static func email(_ value: JSONValue, _ path: String) throws -> String {
        let text = try string(value, path, length: 0...254)
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw MutationProblem.validation(
                "\(path) must be an e-mail address with one @ and text on both sides; got \(quoted(text))"
            )
        }
        return text
    }

    /// A VIN: 17 characters of A-H, J-N, P, R-Z and 0-9 once upper-cased (VINs never use I, O or Q, which look
    /// like 1 and 0); returned upper-cased.
    static func vin(_ value: JSONValue, _ path: String) throws -> String {
        guard let text = value.stringValue else { throw wrongType(value, path, expected: "a string") }
        let upper = text.uppercased()
        let isVIN =
            upper.unicodeScalars.count == 17
            && upper.unicodeScalars.allSatisfy { scalar in
                ("A"..."Z").contains(scalar) && !["I", "O", "Q"].contains(scalar) || ("0"..."9").contains(scalar)
            }
        guard isVIN else {
            throw MutationProblem.validation(
                "\(path) must be 17 letters and digits without I, O or Q; got \(quoted(text))"
            )
        }
        return upper
    }

    /// A template item code: 1 to 64 of `a-z`, `0-9` and `_`.
    static func itemCode(_ value: JSONValue, _ path: String) throws -> String {
        guard let text = value.stringValue else { throw wrongType(value, path, expected: "a string") }
        guard isItemCode(text) else {
            throw MutationProblem.validation(
                "\(path) must be 1 to 64 characters of a-z, 0-9 and _, like brake_pads_front; got \(quoted(text))"
            )
        }
        return text
    }

    /// Whether `text` is 1 to 64 characters of `a-z`, `0-9` and `_`.
    static func isItemCode(_ text: String) -> Bool {
        (1...64).contains(text.unicodeScalars.count)
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// A measurement `{"value": number, "unit": string}`: `value` required and finite, `unit` optional (at most
    /// 16 characters), no other keys.
    static func measurement(_ value: JSONValue, _ path: String) throws -> JSONValue {
        let members = try object(value, path, allowedKeys: ["value", "unit"])
        guard let number = members["value"], number.isNumber else {
            throw MutationProblem.validation("\(path).value must be a number")
        }
        if let double = number.doubleValue, !double.isFinite {
            throw MutationProblem.validation("\(path).value must be a finite number")
        }
        var result: [String: JSONValue] = ["value": number]
        if let unit = members["unit"], !unit.isNull {
            result["unit"] = .string(try string(unit, "\(path).unit", length: 0...16))
        }
        return .object(result)
    }

    /// An estimated cost `{"amount": integer minor units 0...100,000,000, "currency": optional ISO 4217 code}`
    /// with no other keys; the currency is returned upper-cased and left out when absent or null (the tenant's
    /// currency applies).
    static func estimatedCost(_ value: JSONValue, _ path: String) throws -> JSONValue {
        let members = try object(value, path, allowedKeys: ["amount", "currency"])
        guard let amount = members["amount"] else {
            throw MutationProblem.validation("\(path).amount is required (an integer in minor units, e.g. cents)")
        }
        var result: [String: JSONValue] = ["amount": .int(try integer(amount, "\(path).amount", 0...100_000_000))]
        if let currency = members["currency"], !currency.isNull {
            let code = try string(currency, "\(path).currency", length: 0...Int.max).uppercased()
            guard code.unicodeScalars.count == 3, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                throw MutationProblem.validation(
                    "\(path).currency must be a 3-letter currency code like EUR; got \(quoted(code))"
                )
            }
            result["currency"] = .string(code)
        }
        return .object(result)
    }

    /// At most 50 photo hashes (SHA-256, 64 hex digits, any case); returned lower-cased without duplicates, in
    /// the order first given.
    static func photos(_ value: JSONValue, _ path: String) throws -> JSONValue {
        guard let elements = value.arrayValue else { throw wrongType(value, path, expected: "an array of SHA-256") }
        guard elements.count <= 50 else {
            throw MutationProblem.validation("\(path) may hold at most 50 photos, got \(elements.count)")
        }
        var seen: Set<String> = []
        var hashes: [JSONValue] = []
        for (index, element) in elements.enumerated() {
            let elementPath = "\(path)[\(index)]"
            guard let text = element.stringValue else {
                throw wrongType(element, elementPath, expected: "a SHA-256 string")
            }
            let hash = text.lowercased()
            guard hash.unicodeScalars.count == 64, hash.unicodeScalars.allSatisfy(isLowerHex) else {
                throw MutationProblem.validation(
                    "\(elementPath) must be a SHA-256 of 64 hex digits; got \(quoted(text))"
                )
            }
            if seen.insert(hash).inserted { hashes.append(.string(hash)) }
        }
        return .array(hashes)
    }

    /// The members of an object that has no keys outside `allowedKeys`.
    static func object(_ value: JSONValue, _ path: String, allowedKeys: Set<String>) throws -> [String: JSONValue] {
        guard let members = value.objectValue else { throw wrongType(value, path, expected: "an object") }
        if let extra = members.keys.filter({ !allowedKeys.contains($0) }).sorted().first {
            throw MutationProblem.validation(
                "\(path) has unknown key \(quoted(extra)); allowed: \(allowedKeys.sorted().joined(separator: ", "))"
            )
        }
        return members
    }

    static func isLowerHex(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar)
    }

    /// The problem for a value of the wrong JSON type.
    static func wrongType(_ value: JSONValue, _ path: String, expected: String) -> MutationProblem {
        .validation("\(path) must be \(expected), got \(typeName(value))")
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// `text` quoted for a message, cut to 64 characters so that a huge value does not make a huge message.
    static func quoted(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > 64 else { return "\"\(text)\"" }
        var short = String.UnicodeScalarView()
        short.append(contentsOf: scalars.prefix(64))
        return "\"\(String(short))…\""
    }
}
