import Foundation
import RevisitModel
import Testing

@testable import RevisitStore

/// The backend-neutral rules of `Sources/RevisitStore/Rules`, without a database: each is a pure function of what
/// the backend loaded, the request, the time and fresh ids.
@Suite("Store rules")
struct StoreRulesTests {
    static let now = Date(timeIntervalSince1970: 1_765_000_000)

    static func followup(_ state: FollowUpState, outcome: [String: JSONValue]? = nil) throws -> FollowUpRecord {
        var storage: [String: JSONValue] = [
            "id": "f-1", "state": .string(state.rawValue), "version": 4, "itemId": "i-1", "code": "brake-pads",
            "updatedAtEpoch": 1_764_000_000, "createdAtEpoch": 1_764_000_000,
        ]
        if let outcome { storage["outcome"] = .object(outcome) }
        return try FollowUpRecord(storage: .object(storage))
    }

    static func request(
        _ outcome: FollowUpOutcomeKind,
        reason: FollowUpReason? = nil,
        note: String? = nil,
        appointmentAt: Date? = nil
    ) -> OutcomeRequest {
        OutcomeRequest(outcome: outcome, reason: reason, note: note, appointmentAt: appointmentAt, isAdmin: true)
    }

    @Test("an outcome that moves the state plans a new version, its details and one event with the given id")
    func outcomeChanges() throws {
        let plan = try OutcomeRule.plan(
            try Self.followup(.released),
            Self.request(.lost, reason: .price, note: "too dear"),
            now: Self.now,
            eventId: "evt_1"
        )
        #expect(plan.record.state == .lost && plan.record.version == 5 && plan.record.updatedAt == Self.now)
        #expect(plan.record.outcome == ["reason": "price", "note": "too dear"])
        let event = try #require(plan.event)
        #expect(event.id == "evt_1" && event.type == .followupUpdated && event.timestamp == Self.now)
        let body = try JSONValue.parse(Data(event.body)).objectValue ?? [:]
        #expect(body["type"] == "followup.updated")
        #expect(body["timestamp"] == .string(RFC3339DateTime.string(from: Self.now)))
        #expect(body["data"] == .object(plan.record.json))
        let cancelled = try OutcomeRule.plan(
            try Self.followup(.booked),
            Self.request(.cancelled),
            now: Self.now,
            eventId: "e"
        )
        #expect(cancelled.event?.type == .followupCancelled)
    }

    @Test("repeating the outcome a follow-up has plans nothing, on a final follow-up too")
    func outcomeRepeats() throws {
        for state in [FollowUpState.contacted, .done, .declined, .lost, .cancelled] {
            let outcome = try #require(FollowUpOutcomeKind(rawValue: state.rawValue))
            let current = try Self.followup(state, outcome: ["reason": "price"])
            let plan = try OutcomeRule.plan(current, Self.request(outcome, reason: .price), now: Self.now, eventId: "e")
            #expect(plan.event == nil && plan.record.version == 4 && plan.record.updatedAt == current.updatedAt)
        }
    }

    @Test("booked again moves the appointment; the same appointment again changes nothing")
    func bookedAgain() throws {
        let at = Date(timeIntervalSince1970: 1_766_000_000)
        let current = try Self.followup(.booked, outcome: ["appointmentAt": .string(RFC3339DateTime.string(from: at))])
        let retry = try OutcomeRule.plan(current, Self.request(.booked, appointmentAt: at), now: Self.now, eventId: "e")
        #expect(retry.event == nil && retry.record.version == 4)
        let later = at.addingTimeInterval(86400)
        let moved = try OutcomeRule.plan(
            current,
            Self.request(.booked, appointmentAt: later),
            now: Self.now,
            eventId: "e"
        )
        #expect(moved.record.state == .booked && moved.record.version == 5)
        #expect(moved.record.outcome?["appointmentAt"] == .string(RFC3339DateTime.string(from: later)))
        #expect(moved.event?.type == .followupUpdated)
    }

    @Test("another outcome on a final follow-up is followup-final; an earlier one is invalid-transition")
    func outcomeRefused() throws {
        let final = #expect(throws: MutationProblem.self) {
            try OutcomeRule.plan(try Self.followup(.done), Self.request(.booked), now: Self.now, eventId: "e")
        }
        #expect(final?.type == "followup-final")
        let back = #expect(throws: MutationProblem.self) {
            try OutcomeRule.plan(try Self.followup(.booked), Self.request(.contacted), now: Self.now, eventId: "e")
        }
        #expect(back?.type == "invalid-transition")
    }

    @Test("a release sets releasedAt; every change takes a new version")
    func followUpChange() throws {
        let released = try Self.followup(.scheduled).changed(to: .released, at: Self.now)
        #expect(released.state == .released && released.version == 5 && released.releasedAt == Self.now)
        #expect(try Self.followup(.released).changed(to: .contacted, at: Self.now).releasedAt == nil)
    }

    @Test("an inspection's odometer reading: not when cancelled, not without a reading or a date")
    func odometerReading() {
        let at = "2026-01-05T10:00:00Z"
        #expect(
            InspectionOdometer.reading(["odometer": 84210, "inspectedAt": .string(at), "state": "closed"])
                == OdometerSample(at: RFC3339DateTime.date(from: at)!, km: 84210)
        )
        #expect(
            InspectionOdometer.reading(["odometer": 84210, "inspectedAt": .string(at), "state": "cancelled"]) == nil
        )
        #expect(InspectionOdometer.reading(["inspectedAt": .string(at)]) == nil)
        #expect(InspectionOdometer.reading(["odometer": 84210]) == nil)
    }

    @Test("the inspection JSON carries id and version on the inspection and on each item, items by code")
    func inspectionJSON() {
        let json = InspectionJSON.make(
            inspection: ("insp", 7, ["state": "closed"]),
            items: [("b", 9, ["code": "tyres"]), ("a", 8, ["code": "brakes"])]
        )
        #expect(json["id"] == "insp" && json["version"] == 7 && json["state"] == "closed")
        #expect(
            json["items"]
                == .array([
                    .object(["code": "brakes", "id": "a", "version": 8]),
                    .object(["code": "tyres", "id": "b", "version": 9]),
                ])
        )
    }

    @Test("ids are a prefix and 32 lowercase hex digits")
    func ids() {
        for (id, prefix) in [
            (StoreIds.event(), "evt_"), (StoreIds.delivery(), "dlv_"), (StoreIds.webhookEndpoint(), "whe_"),
        ] {
            #expect(id.hasPrefix(prefix) && id.count == 36)
            #expect(id.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(StoreIds.event() != StoreIds.event())
    }
}
