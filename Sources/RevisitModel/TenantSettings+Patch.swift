import Foundation

extension TenantSettings {
    /// These settings with a `PATCH /v1/settings` body applied: only the keys given change.
    ///
    /// All keys are checked before any applies, so a bad body changes nothing.
    /// - Throws: ``MutationProblem/validation(_:)`` naming the key, for an unknown key, a wrong type (JSON `null`
    ///   included: every setting has a value), a time zone that is not an IANA name known to the system, a
    ///   currency that is not three letters A–Z, `leadTimeDays` outside 0…365, `kmPerDay` outside (0, 1000], a
    ///   `releaseMode` other than `continuous` or `monthly`, or `releaseDay` outside 1…28.
    public func patched(with fields: [String: JSONValue]) throws -> TenantSettings {
        var settings = self
        for key in fields.keys.sorted() {
            let value = fields[key]!
            switch key {
            case "timeZone":
                guard let name = value.stringValue, Self.isIANATimeZone(name) else {
                    throw MutationProblem.validation(
                        "timeZone: expected an IANA time zone name such as Europe/Amsterdam"
                    )
                }
                settings.timeZone = name
            case "currency":
                guard let code = value.stringValue, code.utf8.count == 3,
                    code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
                else { throw MutationProblem.validation("currency: expected three capital letters such as EUR") }
                settings.currency = code
            case "leadTimeDays":
                guard let days = value.intValue, (0...365).contains(days) else {
                    throw MutationProblem.validation("leadTimeDays: expected a whole number of days from 0 to 365")
                }
                settings.leadTimeDays = Int(days)
            case "kmPerDay":
                guard let rate = value.doubleValue, rate.isFinite, rate > 0, rate <= 1000 else {
                    throw MutationProblem.validation("kmPerDay: expected a number above 0 and at most 1000")
                }
                settings.kmPerDay = rate
            case "releaseMode":
                guard let mode = value.stringValue.flatMap(ReleaseMode.init(rawValue:)) else {
                    throw MutationProblem.validation("releaseMode: expected continuous or monthly")
                }
                settings.releaseMode = mode
            case "releaseDay":
                guard let day = value.intValue, (1...28).contains(day) else {
                    throw MutationProblem.validation("releaseDay: expected a day of the month from 1 to 28")
                }
                settings.releaseDay = Int(day)
            case "locale":
                guard let locale = value.stringValue.flatMap(PageLocale.init(rawValue:)) else {
                    throw MutationProblem.validation(
                        "locale: expected one of " + PageLocale.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                }
                settings.locale = locale
            case "workshopName":
                settings.workshopName = try Self.text(value, key: key, limit: 100)
            case "workshopPhone":
                settings.workshopPhone = try Self.text(value, key: key, limit: 40)
            case "reviewLinkDays":
                guard let days = value.intValue, (1...90).contains(days) else {
                    throw MutationProblem.validation("reviewLinkDays: expected a whole number of days from 1 to 90")
                }
                settings.reviewLinkDays = Int(days)
            default:
                throw MutationProblem.validation(
                    "\(key): unknown setting (known: timeZone, currency, leadTimeDays, kmPerDay, releaseMode, "
                        + "releaseDay, locale, workshopName, workshopPhone, reviewLinkDays)"
                )
            }
        }
        return settings
    }

    /// A text setting shown to customers: trimmed, at most `limit` characters, no control characters.
    static func text(_ value: JSONValue, key: String, limit: Int) throws -> String {
        guard let text = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), text.count <= limit,
            !text.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) })
        else {
            throw MutationProblem.validation("\(key): expected a text of at most \(limit) characters on one line")
        }
        return text
    }

    /// Whether `name` is an IANA zone name: one the system knows, written as IANA writes it (`UTC`,
    /// `Europe/Amsterdam`), not a Foundation abbreviation or offset such as `GMT+0200`.
    static func isIANATimeZone(_ name: String) -> Bool {
        guard TimeZone(identifier: name) != nil else { return false }
        return name == "UTC" || name == "GMT" || name.contains("/") || TimeZone.knownTimeZoneIdentifiers.contains(name)
    }
}
