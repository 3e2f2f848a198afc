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
        self.init(
            month: parameters["month"].map(String.init),
            state: parameters["state"].map(String.init),
            coverage: parameters["coverage"].map(String.init),
            saved: parameters["saved"].map(String.init),
            today: today
        )
    }

    /// The list a form came from, by the fields it carried back.
    init(fields: [String: String], today: CalendarDate) {
        self.init(
            month: fields["month"],
            state: fields["state"],
            coverage: fields["coverage"],
            saved: nil,
            today: today
        )
    }

    private init(month text: String?, state: String?, coverage: String?, saved: String?, today: CalendarDate) {
        let first = text.flatMap { CalendarDate($0 + "-01") } ?? today.nextMonth.first
        month = (first, first.adding(days: 31).monthStart.adding(days: -1))
        self.state = state.flatMap(FollowUpState.init(rawValue:))
        covered =
            switch coverage {
            case "covered": true
            case "customer": false
            default: nil
            }
        self.saved = saved
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
