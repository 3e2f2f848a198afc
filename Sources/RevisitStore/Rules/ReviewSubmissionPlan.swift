import Foundation
import RevisitModel

/// What the customer chose on the review page, as the form gave it (DESIGN section 13).
public struct ReviewChoices: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public var decision: CustomerDecision?
        public var reason: DeclineReason?
        public init(decision: CustomerDecision?, reason: DeclineReason?) {
            self.decision = decision
            self.reason = reason
        }
    }

    /// Per item code; a code the form did not send is missing, not decided.
    public var items: [String: Choice]
    public var signature: String
    public var consent: Bool

    public init(items: [String: Choice], signature: String, consent: Bool) {
        self.items = items
        self.signature = signature
        self.consent = consent
    }
}

/// Turns the customer's choices into the push of the link's own client, and the `review.completed` event: a pure
/// function of the inspection as the customer saw it, the choices, the link and the time. Every item needing work
/// (`now`, `later`) must have a choice, a decline its reason, and the signature a name; otherwise nothing is
/// planned and the problems say which fields to mark.
public struct ReviewSubmissionPlan: Sendable {
    /// What is missing or wrong, by form field; empty when the plan was made.
    public struct Problems: Sendable, Equatable {
        public var missingDecisions: Set<String> = []
        public var missingReasons: Set<String> = []
        public var signature = false
        public var isEmpty: Bool { missingDecisions.isEmpty && missingReasons.isEmpty && !signature }
        public init() {}
    }

    public var mutations: [IncomingMutation]
    public var event: [String: JSONValue]
    /// The approved work's estimated cost in minor units of the tenant's currency.
    public var approvedTotal: Int64

    /// The items a customer decides about, `now` first then `later`, each group in code order.
    public static func itemsNeedingWork(_ items: [RowRecord]) -> [RowRecord] {
        func rank(_ item: RowRecord) -> Int? {
            switch item.fields["status"]?.stringValue {
            case ItemStatus.now.rawValue?: 0
            case ItemStatus.later.rawValue?: 1
            default: nil
            }
        }
        return items.filter { !$0.deleted && rank($0) != nil }
            .sorted {
                (rank($0)!, $0.fields["code"]?.stringValue ?? "") < (rank($1)!, $1.fields["code"]?.stringValue ?? "")
            }
    }

    /// An item's cost in minor units when it is in `currency` (or names none).
    public static func cost(of item: RowRecord, currency: String) -> Int64? {
        guard let cost = item.fields["estimatedCost"]?.objectValue, let amount = cost["amount"]?.intValue else {
            return nil
        }
        let named = cost["currency"]?.stringValue ?? currency
        return named == currency ? amount : nil
    }

    /// The trimmed signature, or nil when it is empty or too long to be a name.
    public static func signedName(_ text: String) -> String? {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            return nil
        }
        return name
    }

    /// - Returns: the plan, or the problems of the form.
    public static func make(
        inspection: InspectionDetail,
        customer: RowRecord?,
        choices: ReviewChoices,
        link: ReviewLinkRecord,
        currency: String,
        now: Date
    ) -> Result<ReviewSubmissionPlan, ReviewProblems> {
        var problems = Problems()
        let items = itemsNeedingWork(inspection.items)
        for item in items {
            let code = item.fields["code"]?.stringValue ?? ""
            let choice = choices.items[code]
            if choice?.decision == nil { problems.missingDecisions.insert(code) }
            if choice?.decision == .declined, choice?.reason == nil { problems.missingReasons.insert(code) }
        }
        let name = signedName(choices.signature)
        if name == nil { problems.signature = true }
        guard let name, problems.isEmpty else { return .failure(ReviewProblems(problems)) }

        let wall = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        var mutations: [IncomingMutation] = []
        func add(_ entity: EntityKind, _ row: RowRecord, _ fields: [String: JSONValue]) {
            mutations.append(
                IncomingMutation(
                    id: Int64(mutations.count + 1),
                    entity: entity.rawValue,
                    entityId: row.id,
                    op: .upsert,
                    baseVersion: row.version,
                    hlc: HLC(wall: wall, counter: mutations.count),
                    fields: fields
                )
            )
        }
        var decisions: [JSONValue] = []
        var approvedTotal: Int64 = 0
        for item in items {
            let code = item.fields["code"]?.stringValue ?? ""
            let choice = choices.items[code]!
            let decision = choice.decision!
            let reason = decision == .declined ? choice.reason : nil
            add(
                .item,
                item,
                [
                    "customerDecision": .string(decision.rawValue),
                    "declineReason": reason.map { .string($0.rawValue) } ?? .null,
                ]
            )
            if decision == .approved { approvedTotal += cost(of: item, currency: currency) ?? 0 }
            decisions.append(
                .object([
                    "itemId": .string(item.id), "code": .string(code), "status": item.fields["status"] ?? .null,
                    "decision": .string(decision.rawValue), "reason": reason.map { .string($0.rawValue) } ?? .null,
                    "estimatedCost": item.fields["estimatedCost"] ?? .null,
                ])
            )
        }
        if let customer, !customer.deleted {
            add(.customer, customer, ["contactConsent": .bool(choices.consent)])
        }
        let signedAt = RFC3339DateTime.string(from: now)
        let review: JSONValue = .object([
            "signedName": .string(name), "signedAt": .string(signedAt), "linkId": .string(link.id),
            "contactConsent": .bool(choices.consent),
        ])
        add(.inspection, inspection.inspection, ["review": review, "state": .string(InspectionState.closed.rawValue)])
        let event: [String: JSONValue] = [
            "inspectionId": .string(inspection.inspection.id), "linkId": .string(link.id),
            "decisions": .array(decisions), "signedName": .string(name), "signedAt": .string(signedAt),
            "contactConsent": .bool(choices.consent),
            "approvedTotal": .object(["amount": .int(approvedTotal), "currency": .string(currency)]),
        ]
        return .success(ReviewSubmissionPlan(mutations: mutations, event: event, approvedTotal: approvedTotal))
    }
}

/// The form's problems as an error, so ``ReviewSubmissionPlan/make`` can answer a `Result`.
public struct ReviewProblems: Error, Sendable, Equatable {
    public var problems: ReviewSubmissionPlan.Problems
    public init(_ problems: ReviewSubmissionPlan.Problems) { self.problems = problems }
}
