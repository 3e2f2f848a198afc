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
            "rowsHTML": rowsHTML(records, format: format), "count": records.count, "empty": records.isEmpty,
            "stateOptions": options(
                FollowUpState.allCases.map(\.rawValue),
                selected: query.state?.rawValue,
                prefix: "state_"
            ),
            "coverageOptions": options(["covered", "customer"], selected: coverageText, prefix: "consoleCover_"),
            "csrf": csrf, "stateValue": query.state?.rawValue ?? "", "coverageValue": coverageText ?? "",
            "back": back,
        ]
    }

    /// One follow-up with its outcome form (`console-followup.mustache`), opened from its row.
    func single(_ record: FollowUpRecord) -> [String: Any] {
        let format = PageFormat(locale: settings.locale, settings: settings)
        var money = MoneyMemo(format: format)
        let call = CallRow(record, money: &money, texts: texts)
        var row: [String: Any] = [
            "id": call.id, "title": call.title, "open": call.open, "safety": call.safety,
            "cardHTML": cardHTML(call, saved: false),
        ]
        row["outcomeOptions"] = options(
            FollowUpOutcomeKind.allCases.filter { $0 != .cancelled }.map(\.rawValue),
            selected: nil,
            prefix: "outcome_"
        )
        row["reasonOptions"] = options(FollowUpReason.allCases.map(\.rawValue), selected: nil, prefix: "reason_")
        return [
            "row": row, "csrf": csrf, "month": query.monthText, "stateValue": query.state?.rawValue ?? "",
            "coverageValue": coverageText ?? "",
            "back": back,
        ]
    }

    private var coverageText: String? { query.covered.map { $0 ? "covered" : "customer" } }

    /// The list's month and filters as a query, for the way back to it.
    private var back: String {
        CallListQuery.carried([
            "month": query.monthText, "state": query.state?.rawValue ?? "", "coverage": coverageText ?? "",
        ])
    }

    /// The list's rows, written here rather than by `{{#rows}}` in the template: Mustache finds every tag of every
    /// row through dynamic casts, and 2,000 rows of 30 tags took about 250 ms to render, this a few.
    private func rowsHTML(_ records: [FollowUpRecord], format: PageFormat) -> String {
        let back = HTMLText.escaped(self.back)
        let record = HTMLText.escaped(texts["consoleRecord"] ?? "")
        let labels = CardLabels(texts)
        var money = MoneyMemo(format: format)
        var out = ""
        out.reserveCapacity(records.count * 1_200)
        for followup in records {
            let call = CallRow(followup, money: &money, texts: texts)
            let id = HTMLText.escaped(call.id)
            out += #"<li class="call\#(call.safety ? " safety" : "")" id="f-\#(id)" data-test="call-row" "#
            out += #"data-followup="\#(id)">"#
            writeCard(call, saved: query.saved == followup.id, labels: labels, into: &out)
            if call.open {
                out += #"<p class="outcome"><a href="/console/followups/\#(id)?\#(back)" data-test="record-call">"#
                out += record + "</a></p>"
            }
            out += "</li>\n"
        }
        return out
    }

    /// Who to call and what about: the part of a row the list and the follow-up's own page share.
    private func cardHTML(_ call: CallRow, saved: Bool) -> String {
        var out = ""
        writeCard(call, saved: saved, labels: CardLabels(texts), into: &out)
        return out
    }

    private func writeCard(_ call: CallRow, saved: Bool, labels: CardLabels, into out: inout String) {
        let e = HTMLText.escaped
        out += #"<div class="who"><p class="item">"#
        if call.safety { out += #"<span class="badge">\#(labels.safety)</span> "# }
        out += "<strong>\(e(call.title))</strong></p>"
        out += "<p>" + (call.customer.map(e) ?? labels.noCustomer) + "</p><p>"
        if let phone = call.phone {
            out += #"<a href="\#(e(call.phoneHref))">\#(e(phone))</a>"#
        } else {
            out += labels.noPhone
        }
        if let email = call.email { out += " · " + e(email) }
        out += #"</p><p class="car">\#(e(call.car))</p></div><dl class="facts">"#
        out += "<dt>\(labels.due)</dt><dd>\(e(call.due))</dd>"
        out += "<dt>\(labels.cost)</dt><dd>\(call.cost.map(e) ?? "–")</dd>"
        out += "<dt>\(labels.cover)</dt><dd\(call.covered ? #" class="covered""# : "")>\(e(call.cover))</dd>"
        out += #"<dt>\#(labels.state)</dt><dd data-test="call-state">\#(e(call.state))"#
        if saved { out += #" <span class="saved">\#(labels.saved)</span>"# }
        out += "</dd></dl>"
    }

    private func options(_ values: [String], selected: String?, prefix: String) -> [[String: Any]] {
        values.map { ["value": $0, "label": texts[prefix + $0] ?? $0, "selected": $0 == selected] }
    }
}

/// What a row of the call list shows of a follow-up, in words.
private struct CallRow {
    var id: String
    var title: String
    var car: String
    var due: String
    var safety: Bool
    var state: String
    var open: Bool
    var customer: String?
    var phone: String?
    /// The phone as a `tel:` link: its digits and a leading plus.
    var phoneHref: String { "tel:" + (phone ?? "").filter { $0.isNumber || $0 == "+" } }
    var email: String?
    var cost: String?
    var cover: String
    var covered: Bool

    init(_ record: FollowUpRecord, money: inout MoneyMemo, texts: [String: String]) {
        func text(_ value: JSONValue?) -> String? { value?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        id = record.id
        title = record.title
        car = [text(record.vehicle["plate"]), text(record.vehicle["make"]), text(record.vehicle["model"])]
            .compactMap { $0 }.joined(separator: " · ")
        due = record.dueDate
        safety = record.safetyCritical
        state = texts["state_" + record.state.rawValue] ?? record.state.rawValue
        open = record.state.isOpen
        customer = text(record.customer?["name"])
        phone = text(record.customer?["phone"])
        email = text(record.customer?["email"])
        let cost = record.estimatedCost?.objectValue
        self.cost = cost?["amount"]?.intValue.map { money.text(minor: $0, currency: cost?["currency"]?.stringValue) }
        cover = text(record.coverage?["name"]) ?? (texts["consoleCustomerPays"] ?? "")
        covered = record.coverage != nil
    }
}

/// The card's labels, escaped once per page rather than once per row.
private struct CardLabels {
    let safety, noCustomer, noPhone, due, cost, cover, state, saved: String

    init(_ texts: [String: String]) {
        func t(_ key: String) -> String { HTMLText.escaped(texts[key] ?? key) }
        safety = t("consoleSafety")
        noCustomer = t("consoleNoCustomer")
        noPhone = t("consoleNoPhone")
        due = t("consoleDue")
        cost = t("consoleCost")
        cover = t("consoleCover")
        state = t("consoleState")
        saved = t("consoleSaved")
    }
}

/// Amounts as the page writes them, each formatted once per page: a call list repeats the same prices (one job
/// costs the same on every car), and a formatter takes microseconds an amount.
private struct MoneyMemo {
    let format: PageFormat
    private var seen: [String: [Int64: String]] = [:]

    init(format: PageFormat) { self.format = format }

    mutating func text(minor amount: Int64, currency: String?) -> String {
        let key = currency ?? ""
        if let text = seen[key]?[amount] { return text }
        let text = format.money(minor: amount, currency: currency)
        seen[key, default: [:]][amount] = text
        return text
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
