import Foundation
import RevisitModel

extension [FollowUpRecord] {
    /// The order a service desk phones in: safety first, then the earliest due, then the order they were made.
    func inCallOrder() -> [FollowUpRecord] {
        enumerated().sorted { a, b in
            if a.element.safetyCritical != b.element.safetyCritical { return a.element.safetyCritical }
            if a.element.dueDate != b.element.dueDate { return a.element.dueDate < b.element.dueDate }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// What the report reads of a group of follow-ups released in the same month with the same state, cover and reason:
/// the database groups them (``FollowUpReportBuilder/groupingSQL``), so a report over years of follow-ups reads a few
/// hundred rows, not every follow-up.
struct ReportRow: Sendable {
    /// The month the group was released in, an index into the builder's months.
    var month: Int
    var state: FollowUpState
    var released: Bool
    /// The estimated value of the group's follow-ups, summed.
    var amount: Int64
    var covered: Bool
    var reason: String?
    /// How many follow-ups the group holds.
    var count: Int
}

/// The follow-up report (DESIGN section 6): per calendar month of the release moment in the tenant's time zone,
/// counts per state, conversion (booked + done over released) and the estimated value booked, done and lost, each
/// split into what a plan covers and what the customer pays. Months are cut at local midnight, found once per month;
/// the database sorts each follow-up into its month and sums there (24 months of 50,000 follow-ups read row by row
/// took about 100 ms, most of it decoding rows that only add up).
struct FollowUpReportBuilder {
    let zone: TimeZone
    let from: CalendarDate
    let to: CalendarDate

    /// The months of the report: the instant each starts at and its key, from `from`'s month to `to`'s.
    private var months: [(start: Date, key: String)] {
        var result: [(Date, String)] = []
        var month = from.monthStart
        while month <= to {
            result.append((month.instant(hour: 0, in: zone), String(month.description.prefix(7))))
            month = month.nextMonth.first
        }
        return result
    }

    /// The release moments the report counts, in seconds since 1970: from `from`'s local midnight up to, not
    /// including, the midnight after `to`.
    var window: (start: Double, end: Double) {
        (
            from.instant(hour: 0, in: zone).timeIntervalSince1970,
            to.adding(days: 1).instant(hour: 0, in: zone).timeIntervalSince1970
        )
    }

    /// The SQL both stores group by: the index of the month `column` (a release moment in seconds) falls in, as a
    /// `CASE` over the months' start instants (numbers only, no input of the caller's).
    func monthSQL(column: String) -> String {
        let starts = months.map(\.start.timeIntervalSince1970).dropFirst()
        guard !starts.isEmpty else { return "0" }
        let cases = starts.enumerated().map { index, start in "WHEN \(column) < \(start) THEN \(index)" }
        return "CASE " + cases.joined(separator: " ") + " ELSE \(starts.count) END"
    }

    /// The query both stores run, with the tenant and the window as their own parameters: one row per month, state,
    /// release, cover and reason, with the follow-ups' count and summed value.
    func groupingSQL(tenant: String, start: String, end: String) -> String {
        let month = monthSQL(column: "release_at")
        return """
            SELECT \(month) AS month, state, released_at IS NOT NULL AS released, covered, reason,
            CAST(SUM(amount) AS BIGINT) AS amount, COUNT(*) AS count
            FROM followups WHERE tenant_id = \(tenant) AND release_at >= \(start) AND release_at < \(end)
            GROUP BY 1, state, 3, covered, reason
            """
    }

    func months(_ rows: [ReportRow]) -> [ReportMonth] {
        let keys = months.map(\.key)
        var months: [String: ReportMonth] = [:]
        for row in rows where keys.indices.contains(row.month) {
            let key = keys[row.month]
            var entry = months[key] ?? ReportMonth.empty(key)
            entry.counts[row.state.rawValue, default: 0] += row.count
            if row.released { entry.released += row.count }
            let covered = row.covered ? row.amount : 0
            switch row.state {
            case .booked:
                entry.converted += row.count
                entry.valueBooked += row.amount
                entry.valueBookedCovered += covered
            case .done:
                entry.converted += row.count
                entry.valueDone += row.amount
                entry.valueDoneCovered += covered
            case .lost, .declined:
                entry.valueLost += row.amount
                entry.valueLostCovered += covered
                entry.lostValueByReason[row.reason ?? FollowUpReason.other.rawValue, default: 0] += row.amount
            default: break
            }
            months[key] = entry
        }
        return months.values.sorted { $0.month < $1.month }
    }
}
