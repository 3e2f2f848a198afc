import Foundation
import Hummingbird
import RevisitModel

/// What the call list shows: a month of due dates (the next by default: the list a dealer phones through at the end
/// of this one), optionally one state and who pays.
struct CallListQuery {
    static let maximumRows = 5000

    var month: (first: CalendarDate, last: CalendarDate)
    var state: FollowUpState?
    /// true: a plan pays; false: the customer.
    var covered: Bool?
    /// The follow-up whose outcome was just saved, to say so.
    var saved: String?

    init(_ parameters: Parameters, today: CalendarDate) {
        let chosen = parameters["month"].flatMap { CalendarDate(String($0) + "-01") }
        let first =
            chosen ?? today.nextMonth.first
        month = (first, first.adding(days: 31).monthStart.adding(days: -1))
        state = parameters["state"].flatMap { FollowUpState(rawValue: String($0)) }
        covered =
            switch parameters["coverage"].map(String.init) {
            case "covered": true
            case "customer": false
            default: nil
            }
        saved = parameters["saved"].map(String.init)
    }

    var monthText: String { String(month.first.description.prefix(7)) }

    /// The same list's query string from the fields a form carried back (month, state, coverage).
    static func carried(_ fields: [String: String]) -> String {
        ["month", "state", "coverage"].compactMap { name in
            guard let value = fields[name], !value.isEmpty,
                let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"]))
            else { return nil }
            return "\(name)=\(encoded)"
        }.joined(separator: "&")
    }
}
