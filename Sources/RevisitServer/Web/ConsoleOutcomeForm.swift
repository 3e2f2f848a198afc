import Foundation
import RevisitModel
import RevisitStore

/// A row's outcome form as the browser sends it, read into the same request the API takes (DESIGN section 6), so
/// the console adds no rule: `outcome`, `reason`, `note`, `appointmentAt` (the tenant's local time, as a
/// `datetime-local` field gives it), `odometer` (read now, on the phone), and contact fixes `phone`, `email`,
/// `consent` (`yes`/`no`; empty leaves it).
struct ConsoleOutcomeForm {
    let request: Result<OutcomeRequest, MutationProblem>

    init(_ fields: [String: String], zone: TimeZone, now: Date) {
        request = Self.read(fields, zone: zone, now: now)
    }

    private static func read(
        _ fields: [String: String],
        zone: TimeZone,
        now: Date
    ) -> Result<
        OutcomeRequest, MutationProblem
    > {
        func value(_ name: String) -> String? {
            let text = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return text.isEmpty ? nil : text
        }
        guard let kind = value("outcome").flatMap(FollowUpOutcomeKind.init(rawValue:)) else {
            return .failure(.validation("choose what came of the call"))
        }
        var reason: FollowUpReason?
        if let text = value("reason") {
            guard let known = FollowUpReason(rawValue: text) else { return .failure(.validation("unknown reason")) }
            reason = known
        }
        var appointment: Date?
        if let text = value("appointmentAt") {
            guard let at = localDateTime(text, zone: zone) else {
                return .failure(.validation("the appointment must be a date and time"))
            }
            appointment = at
        }
        var odometer: OdometerSample?
        if let text = value("odometer") {
            guard let km = Int64(text.filter { $0 != "." && $0 != "," && $0 != " " }), km >= 0 else {
                return .failure(.validation("the mileage must be a whole number of kilometres"))
            }
            odometer = OdometerSample(at: now, km: km)
        }
        var customer: [String: JSONValue] = [:]
        if let phone = value("phone") { customer["phone"] = .string(phone) }
        if let email = value("email") { customer["email"] = .string(email) }
        switch value("consent") {
        case "yes"?: customer["contactConsent"] = .bool(true)
        case "no"?: customer["contactConsent"] = .bool(false)
        default: break
        }
        if let note = value("note"), note.count > 2000 {
            return .failure(.validation("the note is at most 2000 characters"))
        }
        return .success(
            OutcomeRequest(
                outcome: kind,
                reason: reason,
                note: value("note"),
                appointmentAt: kind == .booked ? appointment : nil,
                isAdmin: true,
                odometer: odometer,
                customer: customer.isEmpty ? nil : customer
            )
        )
    }

    /// `2027-01-12T09:30` in `zone`.
    static func localDateTime(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = CalendarDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard clock.count >= 2, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(year: day.year, month: day.month, day: day.day, hour: clock[0], minute: clock[1])
        )
    }
}
