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

/// The follow-up report (DESIGN section 6): per calendar month of the release moment in the tenant's time zone,
/// counts per state, conversion (booked + done over released) and the estimated value booked, done and lost, each
/// split into what a plan covers and what the customer pays.
struct FollowUpReportBuilder {
    let zone: TimeZone
    let from: CalendarDate
    let to: CalendarDate

    func months(_ records: [FollowUpRecord]) -> [ReportMonth] {
        var months: [String: ReportMonth] = [:]
        for record in records {
            let date = CalendarDate(record.releaseAt, in: zone)
            guard date >= from, date <= to else { continue }
            let key = String(date.description.prefix(7))
            var entry =
                months[key]
                ?? ReportMonth(
                    month: key,
                    counts: [:],
                    released: 0,
                    converted: 0,
                    valueBooked: 0,
                    valueDone: 0,
                    valueLost: 0,
                    lostValueByReason: [:]
                )
            entry.counts[record.state.rawValue, default: 0] += 1
            if record.releasedAt != nil { entry.released += 1 }
            let value = record.estimatedCost?.objectValue?["amount"]?.intValue ?? 0
            let covered = record.coverage == nil ? 0 : value
            switch record.state {
            case .booked:
                entry.converted += 1
                entry.valueBooked += value
                entry.valueBookedCovered += covered
            case .done:
                entry.converted += 1
                entry.valueDone += value
                entry.valueDoneCovered += covered
            case .lost, .declined:
                entry.valueLost += value
                entry.valueLostCovered += covered
                let reason = record.outcome?["reason"]?.stringValue ?? FollowUpReason.other.rawValue
                entry.lostValueByReason[reason, default: 0] += value
            default: break
            }
            months[key] = entry
        }
        return months.values.sorted { $0.month < $1.month }
    }
}
