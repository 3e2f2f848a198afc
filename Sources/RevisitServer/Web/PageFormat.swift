import Foundation
import RevisitModel

/// Numbers, money and dates as a reader of the page's language writes them (`€ 120,50` and `3 december 2026` in
/// Dutch, `€120.50` and `3 December 2026` in English), in the workshop's time zone. Made once per page: formatters
/// are costly to set up and not shared between requests.
struct PageFormat {
    let locale: Locale
    let zone: TimeZone
    let currency: String
    private let money: NumberFormatter
    private let decimal: NumberFormatter
    private let minorDigits: Int

    init(locale pageLocale: PageLocale, settings: TenantSettings) {
        locale = Locale(identifier: pageLocale.formattingIdentifier)
        zone = settings.zone
        currency = settings.currency
        money = NumberFormatter()
        money.numberStyle = .currency
        money.locale = locale
        money.currencyCode = settings.currency
        minorDigits = max(0, money.maximumFractionDigits)
        decimal = NumberFormatter()
        decimal.numberStyle = .decimal
        decimal.locale = locale
        decimal.maximumFractionDigits = 2
    }

    /// An amount in minor units (cents) of `code`, or of the tenant's currency.
    func money(minor amount: Int64, currency code: String? = nil) -> String {
        let formatter: NumberFormatter
        if let code, code != currency {
            formatter = NumberFormatter()
            formatter.numberStyle = .currency
            formatter.locale = locale
            formatter.currencyCode = code
        } else {
            formatter = money
        }
        let digits = max(0, formatter.maximumFractionDigits)
        // A Double, not a Decimal: Decimal's division took a fifth of the call list's time, and below 2^53 minor
        // units (ninety trillion euros) the formatter, rounding to the currency's digits, prints the same text.
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let value = Double(amount) / scale
        return formatter.string(from: NSNumber(value: value)) ?? "\(code ?? currency) \(value)"
    }

    func number(_ value: Double) -> String {
        decimal.string(from: NSNumber(value: value)) ?? String(value)
    }

    func kilometres(_ value: Int64) -> String {
        number(Double(value)) + " km"
    }

    func day(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .long, time: .omitted, locale: locale, timeZone: zone))
    }

    func moment(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .long, time: .shortened, locale: locale, timeZone: zone))
    }

    /// The minor units of the tenant's currency, for the script that adds amounts up.
    var currencyMinorDigits: Int { minorDigits }
}
