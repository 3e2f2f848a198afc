import Foundation
import RevisitModel

/// An amount of money in minor units (cents), as the API writes an item's `estimatedCost`.
///
/// Integers, not floating point: `120.50` is 12050 cents exactly, and sums in reports do not drift.
public struct Money: Sendable, Hashable, Codable {
    /// The amount in the currency's minor unit (cents for EUR, yen for JPY).
    public var amount: Int64
    /// The ISO 4217 code; nil means the tenant's currency.
    public var currency: String?

    public init(amount: Int64, currency: String?) {
        self.amount = amount
        self.currency = currency
    }

    /// Parses an amount a person typed in major units, such as `120.50` or `120,5`, for `currency`.
    ///
    /// The number of decimals follows ISO 4217 (2 for most currencies, 0 for JPY or KRW, 3 for BHD or KWD); more
    /// decimals than the currency has is an error rather than a silent rounding.
    /// - Returns: nil when `text` is not a non-negative amount with at most the currency's decimals.
    public static func parse(_ text: String, currency: String) -> Money? {
        let digits = minorDigits(of: currency)
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty,
            whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber), whole.count <= 12
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.count <= digits,
            parts.count == 1 || !fraction.isEmpty
        else { return nil }
        fraction += String(repeating: "0", count: digits - fraction.count)
        guard let amount = Int64(whole + fraction) else { return nil }
        return Money(amount: amount, currency: currency.uppercased())
    }

    /// The amount in major units for people, such as `120.50 EUR`.
    public func formatted(defaultCurrency: String) -> String {
        let code = currency ?? defaultCurrency
        let digits = Self.minorDigits(of: code)
        guard digits > 0 else { return "\(amount) \(code)" }
        let scale = Int64(pow10(digits))
        let fraction = String(amount % scale)
        return "\(amount / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction) \(code)"
    }

    /// The decimals of a currency's minor unit, per ISO 4217 (2 unless listed).
    public static func minorDigits(of currency: String) -> Int {
        switch currency.uppercased() {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF",
            "XOF", "XPF":
            0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
            3
        default:
            2
        }
    }

    private func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * 10 } }

    init?(json: JSONValue?) {
        guard let object = json?.objectValue, let amount = object["amount"]?.intValue else { return nil }
        self.init(amount: amount, currency: object["currency"]?.stringValue)
    }

    /// The `{"amount", "currency"}` object of the API (currency left out when it is the tenant's).
    var json: JSONValue {
        var object: [String: JSONValue] = ["amount": .int(amount)]
        if let currency { object["currency"] = .string(currency) }
        return .object(object)
    }
}
