import Foundation
import RevisitModel
import RevisitStore
import Testing

/// Outcomes of follow-ups (DESIGN section 6) as every backend persists them: the rule is ``FollowUpTransition`` and
/// the store's one outcome rule; each store only loads the follow-up and writes the plan.
extension StoreConformanceTests {
    /// A tenant with twenty released follow-ups; `body` gets the store, the tenant and the follow-ups.
    static func withReleasedFollowups(
        _ backend: StoreBackend,
        _ body: (any SyncStore, Int64, [FollowUpRecord]) async throws -> Void
    ) async throws {
        try await StoreConcurrencyTests.withPair(backend) { stores, tenantId, clock in
            let store = stores[0]
            let mutations = StoreConcurrencyTests.closedInspection(firstId: 1, now: clock.now())
            _ = try await store.push(tenantId: tenantId, clientId: "tablet", mutations: mutations)
            #expect(
                try await store.releaseDueFollowups(now: clock.now().addingTimeInterval(2 * 86400), limit: 100) == 20
            )
            let page = try await store.followups(
                tenantId: tenantId,
                state: .released,
                vehicleId: nil,
                dueBefore: nil,
                covered: nil,
                cursor: nil,
                limit: 100
            )
            #expect(page.items.count == 20)
            try await body(store, tenantId, page.items)
        }
    }

    static func eventCount(_ store: any SyncStore, _ tenantId: Int64) async throws -> Int {
        try await store.events(tenantId: tenantId, after: nil, limit: 1000).events.count
    }

    static func outcome(
        _ store: any SyncStore,
        _ tenantId: Int64,
        _ id: String,
        _ outcome: FollowUpOutcomeKind,
        reason: FollowUpReason? = nil,
        appointmentAt: Date? = nil,
        isAdmin: Bool = false
    ) async throws -> FollowUpRecord {
        try await store.recordOutcome(
            tenantId: tenantId,
            id: id,
            outcome: outcome,
            reason: reason,
            note: nil,
            appointmentAt: appointmentAt,
            isAdmin: isAdmin
        )
    }

    static func problem(_ body: () async throws -> FollowUpRecord) async -> MutationProblem? {
        do {
            _ = try await body()
            return nil
        } catch let problem as MutationProblem {
            return problem
        } catch {
            return MutationProblem(type: "unexpected", title: "\(error)", status: 0, detail: "\(error)")
        }
    }

    @Test(
        "repeating the outcome a final follow-up has answers it unchanged; another outcome on it is followup-final",
        arguments: StoreBackend.all
    )
    func outcomeRepeatOnFinal(_ backend: StoreBackend) async throws {
        try await Self.withReleasedFollowups(backend) { store, tenantId, followups in
            let id = followups[0].id
            let events = try await Self.eventCount(store, tenantId)
            let done = try await Self.outcome(store, tenantId, id, .done)
            #expect(done.state == .done && done.version == followups[0].version + 1)
            #expect(try await Self.eventCount(store, tenantId) == events + 1)
            let again = try await Self.outcome(store, tenantId, id, .done)
            #expect(again.state == .done && again.version == done.version, "a retry changes nothing")
            #expect(try await Self.eventCount(store, tenantId) == events + 1, "and emits nothing")
            #expect(try await store.followup(tenantId: tenantId, id: id)?.version == done.version)
            for other in [FollowUpOutcomeKind.contacted, .booked, .lost] {
                let problem = await Self.problem { try await Self.outcome(store, tenantId, id, other, reason: .price) }
                #expect(problem?.type == "followup-final" && problem?.status == 409, "\(other) on done")
            }
            let cancelled = try await Self.outcome(store, tenantId, followups[1].id, .cancelled, isAdmin: true)
            #expect(cancelled.state == .cancelled)
            let events2 = try await Self.eventCount(store, tenantId)
            #expect(
                try await store.events(tenantId: tenantId, after: nil, limit: 1000).events.last?.type
                    == "followup.cancelled"
            )
            #expect(
                try await Self.outcome(store, tenantId, followups[1].id, .cancelled, isAdmin: true).version
                    == cancelled.version
            )
            #expect(try await Self.eventCount(store, tenantId) == events2)
            let declined = try await Self.outcome(store, tenantId, followups[2].id, .declined, reason: .price)
            #expect(
                try await Self.outcome(store, tenantId, followups[2].id, .declined, reason: .price).version
                    == declined.version
            )
        }
    }

    @Test(
        "booked again moves the appointment (a new version and an event), an unchanged retry does not; going back is invalid-transition",
        arguments: StoreBackend.all
    )
    func outcomeBookedAgain(_ backend: StoreBackend) async throws {
        try await Self.withReleasedFollowups(backend) { store, tenantId, followups in
            let id = followups[0].id
            let first = Date(timeIntervalSince1970: 1_765_000_000)
            let second = first.addingTimeInterval(7 * 86400)
            let booked = try await Self.outcome(store, tenantId, id, .booked, appointmentAt: first)
            #expect(
                booked.state == .booked
                    && booked.outcome?["appointmentAt"] == .string(RFC3339DateTime.string(from: first))
            )
            let events = try await Self.eventCount(store, tenantId)
            let retry = try await Self.outcome(store, tenantId, id, .booked, appointmentAt: first)
            #expect(retry.version == booked.version)
            #expect(try await Self.eventCount(store, tenantId) == events)
            let moved = try await Self.outcome(store, tenantId, id, .booked, appointmentAt: second)
            #expect(moved.state == .booked && moved.version == booked.version + 1)
            #expect(moved.outcome?["appointmentAt"] == .string(RFC3339DateTime.string(from: second)))
            let feed = try await store.events(tenantId: tenantId, after: nil, limit: 1000).events
            #expect(feed.count == events + 1)
            let data = try #require(feed.last?.feedJSON["data"]?.objectValue)
            #expect(feed.last?.type == "followup.updated")
            #expect(data["outcome"]?.objectValue?["appointmentAt"] == .string(RFC3339DateTime.string(from: second)))
            #expect(data["version"] == .int(moved.version))
            let back = await Self.problem { try await Self.outcome(store, tenantId, id, .contacted) }
            #expect(back?.type == "invalid-transition" && back?.status == 409)
            let forbidden = await Self.problem { try await Self.outcome(store, tenantId, id, .cancelled) }
            #expect(forbidden?.status == 403)
            let noReason = await Self.problem { try await Self.outcome(store, tenantId, id, .lost) }
            #expect(noReason?.status == 422)
            let missing = await Self.problem {
                try await Self.outcome(store, tenantId, UUID().uuidString.lowercased(), .done)
            }
            #expect(missing?.type == "unexpected", "an unknown follow-up is a store error (not found)")
            #expect(try await store.followup(tenantId: tenantId, id: id)?.version == moved.version)
        }
    }
}

extension StoreConformanceTests {
    @Test(
        "the report counts each follow-up once, in the month of its release in the tenant's time zone, with its value",
        arguments: StoreBackend.all
    )
    func reportByMonth(_ backend: StoreBackend) async throws {
        try await Self.withReleasedFollowups(backend) { store, tenantId, followups in
            // Fourteen hours ahead of UTC: a release late on a UTC day already counts in the next local day.
            _ = try await store.updateSettings(tenantId: tenantId, patch: ["timeZone": "Pacific/Kiritimati"])
            let zone = try #require(TimeZone(identifier: "Pacific/Kiritimati"))
            for followup in followups[0..<3] { _ = try await Self.outcome(store, tenantId, followup.id, .done) }
            for followup in followups[3..<5] {
                _ = try await Self.outcome(store, tenantId, followup.id, .lost, reason: .price)
            }
            let booked = followups[5]
            _ = try await Self.outcome(store, tenantId, booked.id, .booked, appointmentAt: booked.releaseAt + 86_400)
            func value(_ records: ArraySlice<FollowUpRecord>) -> Int64 {
                records.compactMap { $0.estimatedCost?.objectValue?["amount"]?.intValue }.reduce(0, +)
            }
            let days = followups.map { CalendarDate($0.releaseAt, in: zone) }
            let first = try #require(days.min()).monthStart
            let last = try #require(days.max())
            let months = try await store.followupReport(
                tenantId: tenantId,
                from: first.adding(days: -40).monthStart,
                to: last.adding(days: 40)
            )
            var expected: [String: Int] = [:]
            for day in days { expected[String(day.description.prefix(7)), default: 0] += 1 }
            #expect(
                Dictionary(uniqueKeysWithValues: months.map { ($0.month, $0.counts.values.reduce(0, +)) }) == expected
            )
            #expect(months.map(\.released).reduce(0, +) == 20)
            #expect(months.map { $0.counts["done"] ?? 0 }.reduce(0, +) == 3)
            #expect(months.map { $0.counts["lost"] ?? 0 }.reduce(0, +) == 2)
            #expect(months.map(\.converted).reduce(0, +) == 4)
            #expect(months.map(\.valueDone).reduce(0, +) == value(followups[0..<3]))
            #expect(months.map(\.valueLost).reduce(0, +) == value(followups[3..<5]))
            #expect(months.compactMap { $0.lostValueByReason["price"] }.reduce(0, +) == value(followups[3..<5]))
            #expect(months.map(\.valueBooked).reduce(0, +) == value(followups[5..<6]))
            #expect(value(followups[0..<6]) > 0)
            // A range that ends before the first release counts nothing.
            let before = try await store.followupReport(
                tenantId: tenantId,
                from: first.adding(days: -70).monthStart,
                to: first.adding(days: -1)
            )
            #expect(before.map(\.released).reduce(0, +) == 0)
        }
    }
}
