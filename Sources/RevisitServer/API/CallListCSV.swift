import Foundation
import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore

/// The call list as a spreadsheet opens it (`GET /v1/followups/export.csv`, DESIGN section 14): the Contract's
/// header, one line per follow-up, amounts in the currency's major unit so a sum in the sheet is money.
struct CallListCSV {
    static let header = [
        "id", "dueDate", "state", "safetyCritical", "code", "title", "plate", "make", "model", "customerName", "phone",
        "email", "estimatedCost", "currency", "coverage",
    ]

    let defaultCurrency: String
    private var digits: [String: Int] = [:]

    init(defaultCurrency: String) {
        self.defaultCurrency = defaultCurrency
    }

    mutating func document(_ records: [FollowUpRecord]) -> String {
        var text = CSVText.line(Self.header)
        for record in records { text += CSVText.line(row(record)) }
        return text
    }

    mutating func row(_ record: FollowUpRecord) -> [String] {
        func text(_ value: JSONValue?) -> String { value?.stringValue ?? "" }
        let cost = record.estimatedCost?.objectValue
        let currency = cost?["currency"]?.stringValue ?? defaultCurrency
        let amount = cost?["amount"]?.intValue.map { major($0, currency: currency) } ?? ""
        return [
            record.id, record.dueDate, record.state.rawValue, record.safetyCritical ? "true" : "false", record.code,
            record.title, text(record.vehicle["plate"]), text(record.vehicle["make"]), text(record.vehicle["model"]),
            text(record.customer?["name"]), text(record.customer?["phone"]), text(record.customer?["email"]), amount,
            cost == nil ? "" : currency, text(record.coverage?["name"]),
        ]
    }

    /// `18000` cents of EUR as `180.00`, `500` yen as `500`: whole-number arithmetic, no rounding.
    mutating func major(_ minor: Int64, currency: String) -> String {
        let places = digits[currency] ?? Self.minorDigits(currency)
        digits[currency] = places
        guard places > 0 else { return String(minor) }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let sign = minor < 0 ? "-" : ""
        let whole = minor.magnitude / UInt64(scale)
        let fraction = String(minor.magnitude % UInt64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    static func minorDigits(_ currency: String) -> Int {
        let formatter = NumberFormatter()
        formatter.numberStyle = .currency
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.currencyCode = currency
        return min(max(0, formatter.maximumFractionDigits), 4)
    }
}

extension APIImplementation {
    func exportFollowups(_ input: Operations.exportFollowups.Input) async throws -> Operations.exportFollowups.Output {
        let principal = try caller(.integration, .admin)
        let settings = try await store.settings(tenantId: principal.tenantId)
        let state: FollowUpState? = try choice(input.query.state, "state")
        let next = CalendarDate(configuration.clock.now(), in: settings.zone).nextMonth
        let from = try queryDate(input.query.from, "from") ?? next.first
        let to = try queryDate(input.query.to, "to") ?? next.last
        guard from <= to else { throw APIProblem.malformed("from must not be after to") }
        let records = try await store.callList(
            tenantId: principal.tenantId,
            from: from,
            to: to,
            state: state,
            limit: 50_000
        )
        var csv = CallListCSV(defaultCurrency: settings.currency)
        let text = csv.document(records)
        return .ok(
            .init(
                headers: .init(Content_hyphen_Disposition: "attachment; filename=\"followups-\(from)-\(to).csv\""),
                body: .text_csv_charset_utf_hyphen_8(HTTPBody(text))
            )
        )
    }
}
