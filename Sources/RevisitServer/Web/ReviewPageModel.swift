import Foundation
import RevisitModel
import RevisitStore

/// What the review page shows, as the template's context (the keys `review.mustache` reads): the inspection as the
/// customer sees it, in their language, with the form (open link) or the choices made (used link).
struct ReviewPageModel {
    enum Mode {
        /// The customer can still choose; after a failed submission, with what they sent and what is missing.
        case form(csrf: String, sent: ReviewChoices?, problems: ReviewSubmissionPlan.Problems, errors: [String])
        /// The choices were made; `done` right after the customer's own submission shows the thank-you.
        case readOnly
    }

    var token: String
    var detail: InspectionDetail
    var vehicle: RowRecord?
    var template: Template?
    var settings: TenantSettings
    /// Media types of the photos by hash, so a video plays as a video.
    var mediaTypes: [String: String]
    var resources: WebResources

    func context(_ mode: Mode) -> [String: Any] {
        let locale = settings.locale
        let t = resources.texts(for: locale)
        let format = PageFormat(locale: locale, settings: settings)
        var page = PageChrome(resources: resources, settings: settings).base(t: t)
        let fields = detail.inspection.fields
        if let plate = vehicle?.fields["plate"]?.stringValue {
            page["vehicle"] = ["plate": plate, "title": vehicleTitle].compactMapValues { $0 }
        } else {
            page["vehicle"] = ["plate": "–"]
        }
        let inspected =
            fields["inspectedAt"]?.stringValue.flatMap(RFC3339DateTime.date(from:)) ?? detail.inspection.createdAt
        page["inspectedOn"] = format.day(inspected)
        if let odometer = fields["odometer"]?.intValue { page["odometer"] = format.kilometres(odometer) }
        page["locale"] = locale.formattingIdentifier
        page["currency"] = settings.currency
        page["action"] = ReviewPaths.page(base: "", token: token)

        let items = ReviewSubmissionPlan.itemsNeedingWork(detail.items)
        var sent: ReviewChoices?
        var problems = ReviewSubmissionPlan.Problems()
        var readOnly = true
        if case .form(let csrf, let given, let marked, let errors) = mode {
            readOnly = false
            sent = given
            problems = marked
            page["form"] = true
            page["csrf"] = csrf
            page["hasErrors"] = !errors.isEmpty
            page["errors"] = errors.map { ["message": $0] }
            page["signature"] = given?.signature ?? ""
            page["signatureInvalid"] = marked.signature
            page["consentChecked"] = given?.consent ?? false
        }
        var approved: Int64 = 0
        var all: Int64 = 0
        var groups: [[String: Any]] = []
        for status in [ItemStatus.now, .later] {
            let members = items.filter { $0.fields["status"]?.stringValue == status.rawValue }
            guard !members.isEmpty else { continue }
            let key = status.rawValue
            let cards = members.map { item -> [String: Any] in
                let code = item.fields["code"]?.stringValue ?? ""
                let decision: CustomerDecision?
                let reason: DeclineReason?
                if readOnly {
                    decision = item.fields["customerDecision"]?.stringValue.flatMap(CustomerDecision.init(rawValue:))
                    reason = item.fields["declineReason"]?.stringValue.flatMap(DeclineReason.init(rawValue:))
                } else {
                    decision = sent?.items[code]?.decision
                    reason = sent?.items[code]?.reason
                }
                let cost = ReviewSubmissionPlan.cost(of: item, currency: settings.currency)
                all += cost ?? 0
                if decision == .approved { approved += cost ?? 0 }
                return card(
                    item,
                    code: code,
                    status: status,
                    decision: decision,
                    reason: reason,
                    problems: problems,
                    t: t,
                    format: format
                )
            }
            groups.append([
                "key": key, "heading": t[key == "now" ? "groupNowHeading" : "groupLaterHeading"] ?? key,
                "intro": t[key == "now" ? "groupNowIntro" : "groupLaterIntro"] ?? "", "items": cards,
            ])
        }
        page["groups"] = groups
        let fine = detail.items.filter { !$0.deleted && $0.fields["status"]?.stringValue == ItemStatus.ok.rawValue }
            .map { ["title": title(of: $0.fields["code"]?.stringValue ?? "")] }
            .sorted { ($0["title"] ?? "") < ($1["title"] ?? "") }
        page["hasOkItems"] = !fine.isEmpty
        page["okItems"] = fine
        page["approvedTotal"] = format.money(minor: approved)
        page["totalAll"] = format.money(minor: all)
        if readOnly, let review = fields["review"]?.objectValue {
            let signedAt = review["signedAt"]?.stringValue.flatMap(RFC3339DateTime.date(from:))
            page["done"] = [
                "signedName": review["signedName"]?.stringValue ?? "",
                "signedAt": signedAt.map(format.moment) ?? "",
                "approvedTotal": format.money(minor: approved),
            ]
        }
        return page
    }

    private var vehicleTitle: String? {
        let parts = ["make", "model"].compactMap { vehicle?.fields[$0]?.stringValue }.filter { !$0.isEmpty }
        var title = parts.joined(separator: " ")
        if let year = vehicle?.fields["year"]?.intValue { title += title.isEmpty ? "\(year)" : " \(year)" }
        return title.isEmpty ? nil : title
    }

    private func title(of code: String) -> String {
        template?.item(code: code)?.title ?? code.replacingOccurrences(of: "_", with: " ").capitalized
    }

    // One item's card: what was found, what it costs, and the choice.
    // swift-format-ignore: FunctionParameterCount
    private func card(
        _ item: RowRecord,
        code: String,
        status: ItemStatus,
        decision: CustomerDecision?,
        reason: DeclineReason?,
        problems: ReviewSubmissionPlan.Problems,
        t: [String: String],
        format: PageFormat
    ) -> [String: Any] {
        let fields = item.fields
        let templateItem = template?.item(code: code)
        var card: [String: Any] = [
            "code": code, "title": title(of: code), "severity": status.rawValue,
            "severityLabel": t[status == .now ? "severityNow" : "severityLater"] ?? status.rawValue,
        ]
        if let measurement = fields["measurement"]?.objectValue, let value = measurement["value"]?.doubleValue {
            let unit = measurement["unit"]?.stringValue ?? templateItem?.unit
            card["measurement"] = format.number(value) + (unit.map { " " + $0 } ?? "")
            if let templateItem {
                card["threshold"] = ReviewWords.thresholds(templateItem, locale: settings.locale, format: format)
                switch templateItem.suggestedStatus(for: value) {
                case .now?: card["measurementState"] = t["stateBelowLimit"]
                case .later?: card["measurementState"] = t["stateNearLimit"]
                default: break
                }
            }
        }
        if let note = fields["note"]?.stringValue, !note.isEmpty { card["note"] = note }
        let photos = (fields["photos"]?.arrayValue ?? []).compactMap(\.stringValue).map { sha -> [String: Any] in
            [
                "url": ReviewPaths.page(base: "", token: token) + "/photos/" + sha,
                "alt": title(of: code), "isVideo": mediaTypes[sha]?.hasPrefix("video/") ?? false,
            ]
        }
        card["hasPhotos"] = !photos.isEmpty
        card["photos"] = photos
        if let cost = fields["estimatedCost"]?.objectValue, let amount = cost["amount"]?.intValue {
            card["cost"] = format.money(minor: amount, currency: cost["currency"]?.stringValue)
        }
        card["costMinor"] = ReviewSubmissionPlan.cost(of: item, currency: settings.currency) ?? 0
        card["choices"] = CustomerDecision.allCases.map { choice -> [String: Any] in
            [
                "value": choice.rawValue, "id": "decision-\(code)-\(choice.rawValue)", "checked": decision == choice,
                "label": t[Self.choiceKey(choice)] ?? choice.rawValue,
            ]
        }
        card["reasons"] = DeclineReason.allCases.map { option -> [String: Any] in
            [
                "value": option.rawValue, "label": t[Self.reasonKey(option)] ?? option.rawValue,
                "selected": reason == option,
            ]
        }
        card["invalid"] = problems.missingDecisions.contains(code)
        card["reasonInvalid"] = problems.missingReasons.contains(code)
        if let decision { card["decisionText"] = t[Self.decisionKey(decision)] ?? decision.rawValue }
        if decision == .declined, let reason { card["reasonText"] = t[Self.reasonKey(reason)] ?? reason.rawValue }
        return card
    }

    static func choiceKey(_ decision: CustomerDecision) -> String {
        switch decision {
        case .approved: "choiceApproved"
        case .deferred: "choiceDeferred"
        case .declined: "choiceDeclined"
        }
    }

    static func decisionKey(_ decision: CustomerDecision) -> String {
        switch decision {
        case .approved: "decisionApproved"
        case .deferred: "decisionDeferred"
        case .declined: "decisionDeclined"
        }
    }

    static func reasonKey(_ reason: DeclineReason) -> String {
        switch reason {
        case .price: "reasonPrice"
        case .competitor: "reasonCompetitor"
        case .notNeeded: "reasonNotNeeded"
        case .other: "reasonOther"
        }
    }
}

/// What every page shows whatever its content: the language, the texts, the static files and the workshop.
struct PageChrome {
    var resources: WebResources
    var settings: TenantSettings

    func base(t: [String: String]) -> [String: Any] {
        var page: [String: Any] = [
            "lang": settings.locale.rawValue, "t": t,
            "assets": ["css": resources.assetURL("review.css"), "js": resources.assetURL("review.js")],
        ]
        if !settings.workshopName.isEmpty { page["workshopName"] = settings.workshopName }
        if !settings.workshopPhone.isEmpty {
            page["workshopPhone"] = settings.workshopPhone
            page["workshopPhoneHref"] = "tel:" + settings.workshopPhone.filter { $0.isNumber || $0 == "+" }
        }
        return page
    }

    /// A page of `message.mustache`: not found, gone, too many tries, or the database away.
    func message(title: String, body: String) -> [String: Any] {
        let t = resources.texts(for: settings.locale)
        var page = base(t: t)
        page["title"] = t[title] ?? title
        page["body"] = t[body] ?? body
        return page
    }
}
