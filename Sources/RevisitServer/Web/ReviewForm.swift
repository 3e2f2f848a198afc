import RevisitModel
import RevisitStore

/// The review page's form fields (DESIGN section 13, Contract): `decision.CODE`, `reason.CODE`, `signature`,
/// `consent` and `csrf`. Unknown values count as missing, so the page marks them instead of guessing.
struct ReviewForm: Sendable {
    var choices: ReviewChoices
    var csrf: String

    init(_ fields: [String: String]) {
        var items: [String: ReviewChoices.Choice] = [:]
        for (name, value) in fields where name.hasPrefix("decision.") {
            let code = String(name.dropFirst("decision.".count))
            let reason = fields["reason.\(code)"].flatMap(DeclineReason.init(rawValue:))
            items[code] = .init(decision: CustomerDecision(rawValue: value), reason: reason)
        }
        choices = ReviewChoices(
            items: items,
            signature: fields["signature"] ?? "",
            consent: ["yes", "on", "true", "1"].contains(fields["consent"]?.lowercased() ?? "")
        )
        csrf = fields["csrf"] ?? ""
    }
}
