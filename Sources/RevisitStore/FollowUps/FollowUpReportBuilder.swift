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

/// What the report reads of one follow-up: a few columns, not the whole record, so that a report over years of
/// follow-ups stays cheap.
struct ReportRow: Sendable {
    var releaseAt: Date
    var state: FollowUpState
    var released: Bool
    var amount: Int64
    var covered: Bool
    var reason: String?
}

/// The follow-up report (DESIGN section 6): per calendar month of the release moment in the tenant's time zone,
/// counts per state, conversion (booked + done over released) and the estimated value booked, done and lost, each
/// split into what a plan covers and what the customer pays. Months are cut at local midnight, found once per month
/// (not once per follow-up) and looked up by binary search.
struct FollowUpReportBuilder {
    let zone: TimeZone
    let from: CalendarDate
    let to: CalendarDate

    /// The instants the months start at, from `from`'s month to the month after `to`'s, with their keys.
    private func boundaries() -> [(start: Date, key: String)] {
        var result: [(Date, String)] = []
        var month = from.monthStart
        while month <= to.nextMonth.first {
            result.append((month.instant(hour: 0, in: zone), String(month.description.prefix(7))))
            month = month.nextMonth.first
        }
        return result
    }

    func months(_ rows: [ReportRow]) -> [ReportMonth] {
        let bounds = boundaries()
        let first = from.instant(hour: 0, in: zone)
        let end = to.adding(days: 1).instant(hour: 0, in: zone)
        var months: [String: ReportMonth] = [:]
        for row in rows where row.releaseAt >= first && row.releaseAt < end {
            // The last month start at or before the release moment.
            var low = 0
            var high = bounds.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if bounds[middle].start <= row.releaseAt { low = middle } else { high = middle - 1 }
            }
            let key = bounds[low].key
            var entry = months[key] ?? ReportMonth.empty(key)
            entry.counts[row.state.rawValue, default: 0] += 1
            if row.released { entry.released += 1 }
            let covered = row.covered ? row.amount : 0
            switch row.state {
            case .booked:
                entry.converted += 1
                entry.valueBooked += row.amount
                entry.valueBookedCovered += covered
            case .done:
                entry.converted += 1
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
