import Foundation
import Hummingbird
import RevisitModel
import RevisitStore

/// What `console-reports.mustache` shows of `GET /v1/reports/followups`'s figures for a range of months: per month
/// released, booked, done and lost, conversion, value booked, done and lost, lost value by reason and covered against
/// customer-paid, each as a chart with the same figures in a table beside it.
struct ConsoleReports {
    let settings: TenantSettings
    let texts: [String: String]

    /// `from` and `to` as `YYYY-MM`, the last 12 months by default.
    static func range(_ parameters: Parameters, today: CalendarDate) -> (from: CalendarDate, to: CalendarDate) {
        func month(_ name: Substring) -> CalendarDate? { parameters[name].flatMap { CalendarDate(String($0) + "-01") } }
        let thisMonth = today.monthStart
        let to = month("to") ?? thisMonth
        var from = month("from") ?? to.adding(days: -330).monthStart
        if from > to { from = to }
        // At most 36 months on one page: a chart of more has bars too thin to read.
        if to.daysSinceEpoch - from.daysSinceEpoch > 36 * 31 { from = to.adding(days: -35 * 31).monthStart }
        return (from, to.nextMonth.first.adding(days: -1))
    }

    func context(_ months: [ReportMonth], from: CalendarDate, to: CalendarDate) -> [String: Any] {
        let format = PageFormat(locale: settings.locale, settings: settings)
        let all = Self.monthKeys(from: from, to: to)
        let byKey = Dictionary(uniqueKeysWithValues: months.map { ($0.month, $0) })
        let rows = all.map { byKey[$0] ?? ReportMonth.empty($0) }
        let labels = all.map { String($0.suffix(2)) + "/" + String($0.prefix(4).suffix(2)) }
        func t(_ key: String) -> String { texts[key] ?? key }
        func money(_ value: Int64) -> String { format.money(minor: value) }
        let counts = SVGBarChart(
            title: t("consoleChartCounts"),
            groups: labels,
            series: [
                .init(name: t("consoleReleased"), colour: "#5b6b7d", values: rows.map { Int64($0.released) }),
                .init(name: t("state_booked"), colour: "#0b6bcb", values: rows.map { Int64($0.counts["booked"] ?? 0) }),
                .init(name: t("state_done"), colour: "#1f7a4a", values: rows.map { Int64($0.counts["done"] ?? 0) }),
                .init(name: t("state_lost"), colour: "#b3261e", values: rows.map { Int64($0.counts["lost"] ?? 0) }),
            ]
        )
        let values = SVGBarChart(
            title: t("consoleChartValue"),
            groups: labels,
            series: [
                .init(
                    name: t("consoleCovered"),
                    colour: "#1f7a4a",
                    values: rows.map { $0.valueDoneCovered + $0.valueBookedCovered }
                ),
                .init(
                    name: t("consoleCustomerPaid"),
                    colour: "#0b6bcb",
                    values: rows.map { $0.valueDone + $0.valueBooked - $0.valueDoneCovered - $0.valueBookedCovered }
                ),
                .init(name: t("consoleValueLost"), colour: "#b3261e", values: rows.map(\.valueLost)),
            ],
            stacked: false,
            format: { format.money(minor: $0) },
            minimumStep: 100
        )
        let reasons = FollowUpReason.allCases
        let lost = SVGBarChart(
            title: t("consoleChartReasons"),
            groups: reasons.map { t("reason_" + $0.rawValue) },
            series: [
                .init(
                    name: t("consoleValueLost"),
                    colour: "#b3261e",
                    values: reasons.map { reason in rows.reduce(0) { $0 + ($1.lostValueByReason[reason.rawValue] ?? 0) }
                    }
                )
            ],
            format: { format.money(minor: $0) },
            minimumStep: 100
        )
        return [
            "from": String(from.description.prefix(7)), "to": String(to.description.prefix(7)),
            "countsChart": counts.render(), "valuesChart": values.render(), "reasonsChart": lost.render(),
            "months": zip(rows, labels).map { row, label -> [String: Any] in
                [
                    "label": label, "released": row.released, "booked": row.counts["booked"] ?? 0,
                    "done": row.counts["done"] ?? 0, "lost": row.counts["lost"] ?? 0,
                    "conversion": format.percent(row.conversion), "valueBooked": money(row.valueBooked),
                    "valueDone": money(row.valueDone), "valueLost": money(row.valueLost),
                    "covered": money(row.valueDoneCovered + row.valueBookedCovered),
                    "customerPaid": money(
                        row.valueDone + row.valueBooked - row.valueDoneCovered - row.valueBookedCovered
                    ),
                ]
            },
            "reasons": reasons.map { reason -> [String: Any] in
                [
                    "label": t("reason_" + reason.rawValue),
                    "value": money(rows.reduce(0) { $0 + ($1.lostValueByReason[reason.rawValue] ?? 0) }),
                ]
            },
        ]
    }

    /// Every `YYYY-MM` from `from`'s month to `to`'s.
    static func monthKeys(from: CalendarDate, to: CalendarDate) -> [String] {
        var keys: [String] = []
        var month = from.monthStart
        while month <= to {
            keys.append(String(month.description.prefix(7)))
            month = month.nextMonth.first
        }
        return keys
    }
}

extension PageFormat {
    /// "42%", "42 %".
    func percent(_ share: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .percent
        formatter.locale = locale
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: share)) ?? "\(Int(share * 100))%"
    }
}
