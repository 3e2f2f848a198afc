import Foundation
import RevisitModel
import Testing

@testable import RevisitStore

/// The review page's rules without a database or HTTP: what a submission plans, and when a link takes choices.
@Suite("Review rules")
struct ReviewRulesTests {
    static let now = Date(timeIntervalSince1970: 1_765_000_000)
    static let link = ReviewLinkRecord(
        id: "rvl_1",
        inspectionId: "insp",
        clientId: "client",
        createdAt: now,
        expiresAt: now.addingTimeInterval(7 * 86_400)
    )

    static func row(_ entity: EntityKind, _ id: String, _ fields: [String: JSONValue], version: Int64 = 5) -> RowRecord
    {
        RowRecord(
            entity: entity,
            id: id,
            version: version,
            deleted: false,
            fields: fields,
            createdAt: now,
            updatedAt: now
        )
    }

    static let detail = InspectionDetail(
        inspection: row(.inspection, "insp", ["state": "completed", "vehicleId": "car"]),
        items: [
            row(.item, "i-ok", ["code": "lights", "status": "ok"]),
            row(.item, "i-later", ["code": "tyre_front_left", "status": "later", "estimatedCost": ["amount": 9550]]),
            row(
                .item,
                "i-now",
                ["code": "brake_pads_front", "status": "now", "estimatedCost": ["amount": 18_900, "currency": "EUR"]]
            ),
            row(
                .item,
                "i-usd",
                ["code": "wipers", "status": "later", "estimatedCost": ["amount": 100, "currency": "USD"]]
            ),
        ]
    )

    @Test("every item needing work decided, declines with a reason, a signature; else the fields to mark")
    func problems() {
        let choices = ReviewChoices(
            items: ["brake_pads_front": .init(decision: .declined, reason: nil)],
            signature: "   ",
            consent: false
        )
        let plan = ReviewSubmissionPlan.make(
            inspection: Self.detail,
            customer: nil,
            choices: choices,
            link: Self.link,
            currency: "EUR",
            now: Self.now
        )
        guard case .failure(let marked) = plan else {
            Issue.record("planned without choices")
            return
        }
        #expect(marked.problems.missingDecisions == ["tyre_front_left", "wipers"])
        #expect(marked.problems.missingReasons == ["brake_pads_front"])
        #expect(marked.problems.signature)
    }

    @Test("the plan: items in order, the customer's consent, then the close; the approved total in the currency")
    func plan() throws {
        let choices = ReviewChoices(
            items: [
                "brake_pads_front": .init(decision: .approved, reason: .price),
                "tyre_front_left": .init(decision: .declined, reason: .competitor),
                "wipers": .init(decision: .approved, reason: nil),
            ],
            signature: " Anna de Vries ",
            consent: true
        )
        let customer = Self.row(.customer, "cust", ["name": "Anna"], version: 2)
        let plan = try ReviewSubmissionPlan.make(
            inspection: Self.detail,
            customer: customer,
            choices: choices,
            link: Self.link,
            currency: "EUR",
            now: Self.now
        ).get()
        #expect(plan.mutations.map(\.id) == [1, 2, 3, 4, 5])
        #expect(plan.mutations.map(\.entityId) == ["i-now", "i-later", "i-usd", "cust", "insp"])
        #expect(plan.mutations[0].fields == ["customerDecision": "approved", "declineReason": .null], "no reason kept")
        #expect(plan.mutations[1].fields["declineReason"] == "competitor")
        #expect(plan.mutations[3].fields == ["contactConsent": true] && plan.mutations[3].baseVersion == 2)
        let close = plan.mutations[4]
        #expect(close.fields["state"] == "closed")
        #expect(close.fields["review"]?.objectValue?["signedName"] == "Anna de Vries")
        #expect(close.baseVersion == 5 && Set(plan.mutations.map(\.hlc)).count == 5)
        #expect(plan.approvedTotal == 18_900, "the USD item is not added to a EUR total")
        #expect(plan.event["approvedTotal"] == ["amount": 18_900, "currency": "EUR"])
        #expect(plan.event["decisions"]?.arrayValue?.count == 3)
    }

    @Test("a link takes choices until it is used, revoked, expired or its inspection is final")
    func linkState() {
        var link = Self.link
        #expect(ReviewLinkState(link, inspectionState: .completed, now: Self.now) == .open)
        #expect(ReviewLinkState(link, inspectionState: .inProgress, now: Self.now) == .open, "reopened: still open")
        #expect(ReviewLinkState(link, inspectionState: .closed, now: Self.now) == .gone(.inspectionClosed))
        #expect(ReviewLinkState(link, inspectionState: .cancelled, now: Self.now) == .gone(.inspectionCancelled))
        #expect(ReviewLinkState(link, inspectionState: nil, now: Self.now) == .gone(.inspectionCancelled))
        #expect(ReviewLinkState(link, inspectionState: .completed, now: link.expiresAt) == .gone(.expired))
        link.revokedAt = Self.now
        #expect(ReviewLinkState(link, inspectionState: .completed, now: Self.now) == .gone(.revoked))
        link.completedAt = Self.now
        #expect(ReviewLinkState(link, inspectionState: .closed, now: Self.now) == .completed, "used wins: read-only")
    }

    @Test("web secrets: 256 bits in base64url, hashed, compared whole")
    func secrets() {
        let secret = WebSecret.generate()
        #expect(WebSecret.isWellFormed(secret) && secret != WebSecret.generate())
        #expect(!WebSecret.isWellFormed(secret + "=") && !WebSecret.isWellFormed("short"))
        #expect(WebSecret.hash(secret).count == 64 && WebSecret.hash(secret) == WebSecret.hash(secret))
        #expect(WebSecret.equal(secret, secret) && !WebSecret.equal(secret, String(secret.reversed())))
    }
}
