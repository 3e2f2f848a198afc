import Foundation
import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore

extension APIImplementation {
    func listFollowups(_ input: Operations.listFollowups.Input) async throws -> Operations.listFollowups.Output {
        let principal = try caller(.integration, .admin)
        let query = input.query
        let state: FollowUpState? = try choice(query.state, "state")
        let dueBefore = try queryDate(query.dueBefore, "dueBefore")
        let page = try await store.followups(
            tenantId: principal.tenantId,
            state: state,
            vehicleId: query.vehicleId,
            dueBefore: dueBefore,
            covered: try coverageFilter(query.coverage),
            cursor: query.cursor,
            limit: try listLimit(query.limit)
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: try page.generated(\.json),
                        nextCursor: nextCursorValue(page.nextCursor)
                    )
                )
            )
        )
    }

    func getFollowup(_ input: Operations.getFollowup.Input) async throws -> Operations.getFollowup.Output {
        let principal = try caller(.integration, .admin)
        guard let record = try await store.followup(tenantId: principal.tenantId, id: input.path.id) else {
            throw APIProblem.notFound("follow-up \(input.path.id) does not exist")
        }
        return .ok(.init(body: .json(try GeneratedModel.make(record.json))))
    }

    func postFollowupOutcome(
        _ input: Operations.postFollowupOutcome.Input
    ) async throws -> Operations.postFollowupOutcome.Output {
        let principal = try caller(.integration, .admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        guard let outcome: FollowUpOutcomeKind = try choice(body.outcome, "outcome", problem: APIProblem.validation)
        else { throw APIProblem.validation("outcome is required") }
        let reason: FollowUpReason? = try choice(body.reason, "reason", problem: APIProblem.validation)
        if let note = body.note, note.count > 2000 { throw APIProblem.validation("note is at most 2000 characters") }
        if body.appointmentAt != nil, outcome != .booked {
            throw APIProblem.validation("appointmentAt goes with the booked outcome only")
        }
        let request = OutcomeRequest(
            outcome: outcome,
            reason: reason,
            note: body.note,
            appointmentAt: body.appointmentAt,
            isAdmin: principal.role == .admin,
            odometer: body.odometer.map { OdometerSample(at: $0.readAt, km: $0.value) },
            customer: try body.customer.map(Self.correction)
        )
        let record = try await store.recordOutcome(tenantId: principal.tenantId, id: input.path.id, request)
        logger.info("follow-up outcome", metadata: ["id": "\(record.id)", "state": "\(record.state.rawValue)"])
        return .ok(.init(body: .json(try GeneratedModel.make(record.json))))
    }

    func getSettings(_ input: Operations.getSettings.Input) async throws -> Operations.getSettings.Output {
        let principal = try caller(.admin, .integration)
        let settings = try await store.settings(tenantId: principal.tenantId)
        return .ok(.init(body: .json(try GeneratedModel.make(settings.json))))
    }

    func patchSettings(_ input: Operations.patchSettings.Input) async throws -> Operations.patchSettings.Output {
        let principal = try caller(.admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let patch = try JSONValue.parse(JSONEncoder().encode(body)).objectValue ?? [:]
        let settings = try await store.updateSettings(tenantId: principal.tenantId, patch: patch)
        logger.info("settings changed", metadata: ["keys": "\(patch.keys.sorted())"])
        return .ok(.init(body: .json(try GeneratedModel.make(settings.json))))
    }

    func listEvents(_ input: Operations.listEvents.Input) async throws -> Operations.listEvents.Output {
        let principal = try caller(.integration, .admin)
        let page = try await store.events(
            tenantId: principal.tenantId,
            after: input.query.after,
            limit: try listLimit(input.query.limit)
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: try page.events.map { try GeneratedModel.make($0.feedJSON) },
                        cursor: page.cursor,
                        hasMore: page.hasMore
                    )
                )
            )
        )
    }

    func getFollowupReport(
        _ input: Operations.getFollowupReport.Input
    ) async throws -> Operations.getFollowupReport.Output {
        let principal = try caller(.integration, .admin)
        let settings = try await store.settings(tenantId: principal.tenantId)
        let today = CalendarDate(configuration.clock.now(), in: settings.zone)
        let to = try queryDate(input.query.to, "to") ?? today
        let from = try queryDate(input.query.from, "from") ?? to.adding(days: -365)
        guard from <= to else { throw APIProblem.validation("from must not be after to") }
        let months = try await store.followupReport(tenantId: principal.tenantId, from: from, to: to)
        let json: [String: JSONValue] = [
            "from": .string(from.description), "to": .string(to.description), "timeZone": .string(settings.timeZone),
            "currency": .string(settings.currency), "months": .array(months.map { .object($0.json) }),
        ]
        return .ok(.init(body: .json(try GeneratedModel.make(json))))
    }
}

extension ReportMonth {
    /// Every state and reason appears, with 0 where there is nothing, so a chart needs no special cases.
    var json: [String: JSONValue] {
        var counts: [String: JSONValue] = [:]
        for state in FollowUpState.allCases { counts[state.rawValue] = .int(Int64(self.counts[state.rawValue] ?? 0)) }
        var reasons: [String: JSONValue] = [:]
        for reason in FollowUpReason.allCases {
            reasons[reason.rawValue] = .int(lostValueByReason[reason.rawValue] ?? 0)
        }
        return [
            "month": .string(month), "counts": .object(counts), "released": .int(Int64(released)),
            "converted": .int(Int64(converted)), "conversion": .double(conversion), "valueBooked": .int(valueBooked),
            "valueDone": .int(valueDone), "valueLost": .int(valueLost), "lostValueByReason": .object(reasons),
            "covered": .object([
                "valueBooked": .int(valueBookedCovered), "valueDone": .int(valueDoneCovered),
                "valueLost": .int(valueLostCovered),
            ]),
            "customerPaid": .object([
                "valueBooked": .int(valueBooked - valueBookedCovered), "valueDone": .int(valueDone - valueDoneCovered),
                "valueLost": .int(valueLost - valueLostCovered),
            ]),
        ]
    }
}
