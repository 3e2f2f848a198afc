import Foundation
import RevisitModel
import RevisitStore

/// What `console-followups.mustache` shows of a month's follow-ups: one row per follow-up in call order (the store's:
/// safety first, then by due date) with what the caller needs on one line, and its outcome form.
struct ConsoleCallList {
    let query: CallListQuery
    let settings: TenantSettings
    let texts: [String: String]
    let csrf: String

    func context(_ records: [FollowUpRecord]) -> [String: Any] {
        let format = PageFormat(locale: settings.locale, settings: settings)
        let first = query.month.first
        let previous = first.adding(days: -1).monthStart
        let next = query.month.last.adding(days: 1)
        let carried = CallListQuery.carried([
            "state": query.state?.rawValue ?? "", "coverage": coverageText ?? "",
        ])
        func link(_ month: CalendarDate) -> String {
            "/console/followups?month=\(month.description.prefix(7))" + (carried.isEmpty ? "" : "&" + carried)
        }
        return [
            "month": query.monthText, "previousMonth": link(previous), "nextMonth": link(next),
            "monthName": format.monthName(first),
            "exportURL": "/console/followups/export.csv?" + CallListQuery.carried(["month": query.monthText]),
            "rows": records.map { row($0, format: format) }, "count": records.count, "empty": records.isEmpty,
            "stateOptions": options(
                FollowUpState.allCases.map(\.rawValue),
                selected: query.state?.rawValue,
                prefix: "state_"
            ),
            "coverageOptions": options(["covered", "customer"], selected: coverageText, prefix: "consoleCover_"),
            "csrf": csrf, "stateValue": query.state?.rawValue ?? "", "coverageValue": coverageText ?? "",
            "back": CallListQuery.carried([
                "month": query.monthText, "state": query.state?.rawValue ?? "", "coverage": coverageText ?? "",
            ]),
        ]
    }

    /// One follow-up with its outcome form (`console-followup.mustache`), opened from its row.
    func single(_ record: FollowUpRecord) -> [String: Any] {
        let format = PageFormat(locale: settings.locale, settings: settings)
        var row = row(record, format: format)
        row["outcomeOptions"] = options(
            FollowUpOutcomeKind.allCases.filter { $0 != .cancelled }.map(\.rawValue),
            selected: nil,
            prefix: "outcome_"
        )
        row["reasonOptions"] = options(FollowUpReason.allCases.map(\.rawValue), selected: nil, prefix: "reason_")
        return [
            "row": row, "csrf": csrf, "month": query.monthText, "stateValue": query.state?.rawValue ?? "",
            "coverageValue": coverageText ?? "",
            "back": CallListQuery.carried([
                "month": query.monthText, "state": query.state?.rawValue ?? "", "coverage": coverageText ?? "",
            ]),
        ]
    }

    private var coverageText: String? { query.covered.map { $0 ? "covered" : "customer" } }

    private func row(_ record: FollowUpRecord, format: PageFormat) -> [String: Any] {
        func text(_ value: JSONValue?) -> String? { value?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        let car = [text(record.vehicle["plate"]), text(record.vehicle["make"]), text(record.vehicle["model"])]
            .compactMap { $0 }.joined(separator: " · ")
        let cost = record.estimatedCost?.objectValue
        var row: [String: Any] = [
            "id": record.id, "title": record.title, "code": record.code, "car": car, "due": record.dueDate,
            "safety": record.safetyCritical, "state": texts["state_" + record.state.rawValue] ?? record.state.rawValue,
            "stateKey": record.state.rawValue, "open": record.state.isOpen, "saved": query.saved == record.id,
        ]
        if let name = text(record.customer?["name"]) { row["customer"] = name }
        if let phone = text(record.customer?["phone"]) {
            row["phone"] = phone
            row["phoneHref"] = "tel:" + phone.filter { $0.isNumber || $0 == "+" }
        }
        if let email = text(record.customer?["email"]) { row["email"] = email }
        if let amount = cost?["amount"]?.intValue {
            row["cost"] = format.money(minor: amount, currency: cost?["currency"]?.stringValue)
        }
        row["cover"] = text(record.coverage?["name"]) ?? (texts["consoleCustomerPays"] ?? "")
        row["covered"] = record.coverage != nil
        return row
    }

    private func options(_ values: [String], selected: String?, prefix: String) -> [[String: Any]] {
        values.map { ["value": $0, "label": texts[prefix + $0] ?? $0, "selected": $0 == selected] }
    }
}

extension PageFormat {
    /// "January 2027", "januari 2027".
    func monthName(_ date: CalendarDate) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = zone
        formatter.setLocalizedDateFormatFromTemplate("MMMM yyyy")
        return formatter.string(from: date.instant(hour: 12, in: zone))
    }
}
