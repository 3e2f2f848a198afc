import Foundation
import RevisitModel

/// What the call round writes back (DESIGN section 6, "The call round"), once for both backends: an outcome with the
/// customer's reading of the dashboard and corrections of their contact details, a reading on its own, a correction
/// on its own. A reading re-plans every open kilometre-based follow-up of the vehicle; `lost` with `vehicle_sold`
/// ends the vehicle's other open follow-ups; a correction is a change of the customer row that tablets pull.
struct CallRoundWriter<Context: PushContext> {
    var context: Context
    /// The writer's own clock reading: a correction is a write like a push's, stamped by the server.
    private(set) var stamps: PushStamps

    /// The API's `dueSource` of a due date that a reading re-planned.
    static var dueSourceReading: String { "km_reading" }

    /// The client id the server writes corrections under, so they merge with tablets' edits by the usual rules.
    static var clientId: String { "revisit-crm" }

    init(context: Context, stamps: PushStamps) {
        self.context = context
        self.stamps = stamps
    }

    /// Records an outcome and what the call learnt; returns the follow-up as it is afterwards. The reading and the
    /// contact fixes come first, so the outcome applies to the follow-up as they left it (a new due date, the new
    /// phone number) and the answer shows all of it.
    mutating func recordOutcome(_ current: FollowUpRecord, _ request: OutcomeRequest) throws -> FollowUpRecord {
        var followup = current
        if let odometer = request.odometer {
            let reading = OdometerReading(odometer: odometer.km, at: odometer.at, source: .crm, followupId: current.id)
            _ = try record(reading, vehicleId: current.vehicleId)
        }
        if let fields = request.customer {
            let vehicle = try context.row(id: current.vehicleId)
            guard let customerId = vehicle?.fields["customerId"]?.stringValue else {
                throw MutationProblem.validation("the follow-up's vehicle has no customer to correct")
            }
            _ = try correctCustomer(id: customerId, fields: fields)
        }
        if request.odometer != nil || request.customer != nil {
            followup = try context.openFollowups(vehicleId: current.vehicleId).first { $0.id == current.id } ?? followup
        }
        let plan = try OutcomeRule.plan(followup, request, now: context.now, eventId: context.newEventId())
        if let event = plan.event {
            try context.save(plan.record)
            try context.append(event)
            if plan.record.state == .lost, request.reason == .vehicleSold {
                try endOpenFollowups(vehicleId: current.vehicleId, soldOn: plan.record)
            }
        }
        return plan.record
    }

    /// A reading the CRM reports on its own (`POST /v1/vehicles/{id}/odometer-readings`), for a live vehicle.
    mutating func report(_ sample: OdometerSample, vehicleId: String) throws -> [FollowUpRecord] {
        let id = try liveVehicle(vehicleId)
        return try record(OdometerReading(odometer: sample.km, at: sample.at, source: .crm), vehicleId: id)
    }

    /// The id of a live vehicle, as rows are keyed; not found otherwise.
    private func liveVehicle(_ vehicleId: String) throws -> String {
        let id = vehicleId.lowercased()
        guard let vehicle = try context.row(id: id), vehicle.entity == .vehicle, !vehicle.deleted else {
            throw StoreError.notFound("vehicle \(vehicleId) does not exist")
        }
        return id
    }

    /// Adds a reading to the vehicle's and re-plans its open kilometre-based follow-ups; returns those that changed.
    /// The same reading again (a retried request) adds nothing. A reading that cannot be right throws 422.
    mutating func record(_ reading: OdometerReading, vehicleId: String) throws -> [FollowUpRecord] {
        let samples = try context.allOdometerSamples(vehicleId: vehicleId)
        if samples.contains(reading.sample) { return [] }
        try OdometerReadingRule.check(reading.sample, against: samples, now: context.now)
        try context.save(reading: reading, vehicleId: vehicleId)
        let readings = samples + [reading.sample]
        let settings = try context.settings()
        let plans = try context.coveragePlans(vehicleId: vehicleId)
        var changed: [FollowUpRecord] = []
        for followup in try context.openFollowups(vehicleId: vehicleId) {
            guard
                let updated = Self.replanned(
                    followup,
                    readings: readings,
                    plans: plans,
                    settings: settings,
                    now: context.now
                )
            else { continue }
            var record = updated.changed(to: updated.state, at: context.now)
            if updated.state == .scheduled { record.releasedAt = nil }
            try context.save(record)
            var data = record.json
            data["previousDueDate"] = .string(followup.dueDate)
            try context.emit(.followupUpdated, data: data)
            changed.append(record)
        }
        return changed
    }

    /// A follow-up with the due date a new set of readings gives, or nil when it does not depend on kilometres or
    /// nothing moves. Released follow-ups keep their release unless the new date sends them back to `scheduled`.
    static func replanned(
        _ followup: FollowUpRecord,
        readings: [OdometerSample],
        plans: [CoveragePlan],
        settings: TenantSettings,
        now: Date
    ) -> FollowUpRecord? {
        guard followup.state.isOpen, !followup.safetyCritical, let target = followup.dueOdometer,
            let replan = FollowUpReplanner.replan(
                targetKm: target,
                readings: readings,
                settings: settings,
                now: now,
                releasedAt: followup.state == .released ? (followup.releasedAt ?? followup.releaseAt) : nil
            )
        else { return nil }
        var next = followup
        next.dueDate = replan.dueDate.description
        next.dueSource = dueSourceReading
        next.dueReading = [
            "odometer": .int(replan.anchor.km), "at": .string(RFC3339DateTime.string(from: replan.anchor.at)),
        ]
        switch followup.state {
        case .scheduled:
            next.releaseAt = replan.releaseAt
            next.leadDays = replan.leadDays
        case .released where replan.backToScheduled:
            next.state = .scheduled
            next.releaseAt = replan.releaseAt
            next.leadDays = replan.leadDays
        default:
            break
        }
        next.coverage = next.cover(plans: plans, readings: readings, settings: settings)
        let moved =
            next.dueDate != followup.dueDate || next.releaseAt != followup.releaseAt
            || next.state != followup.state || next.coverage != followup.coverage
        return moved ? next : nil
    }

    /// Replaces a vehicle's plans and decides again which plan covers each of its open follow-ups; returns those
    /// whose cover changed (each with a new version and `followup.updated`).
    func replaceCoverage(vehicleId: String, plans: [CoveragePlan]) throws -> [FollowUpRecord] {
        let vehicleId = try liveVehicle(vehicleId)
        try context.save(coveragePlans: plans, vehicleId: vehicleId)
        let readings = try context.allOdometerSamples(vehicleId: vehicleId)
        let settings = try context.settings()
        var changed: [FollowUpRecord] = []
        for followup in try context.openFollowups(vehicleId: vehicleId) {
            let coverage = followup.cover(plans: plans, readings: readings, settings: settings)
            guard coverage != followup.coverage else { continue }
            var record = followup.changed(to: followup.state, at: context.now)
            record.coverage = coverage
            try context.save(record)
            try context.emit(.followupUpdated, data: record.json)
            changed.append(record)
        }
        return changed
    }

    /// A follow-up carries its customer's contact details so a CRM can act on it alone: after a correction, the open
    /// follow-ups of the customer's cars carry the new ones (each a new version with `followup.updated`).
    private func refreshSnapshots(of customer: StoredRow) throws {
        let snapshot = RowSnapshot.customer(customer)
        for vehicle in try context.vehicles(ofCustomer: customer.id) {
            for followup in try context.openFollowups(vehicleId: vehicle.id) where followup.customer != snapshot {
                var record = followup.changed(to: followup.state, at: context.now)
                record.customer = snapshot
                try context.save(record)
                try context.emit(.followupUpdated, data: record.json)
            }
        }
    }

    /// `lost` with `vehicle_sold`: the car is gone, so is every other open follow-up of it.
    private func endOpenFollowups(vehicleId: String, soldOn followup: FollowUpRecord) throws {
        for other in try context.openFollowups(vehicleId: vehicleId) where other.id != followup.id {
            var record = other.changed(to: .lost, at: context.now)
            var outcome = other.outcome ?? [:]
            outcome["reason"] = .string(FollowUpReason.vehicleSold.rawValue)
            outcome["note"] = .string("the vehicle was sold (reported on follow-up \(followup.id))")
            record.outcome = outcome
            try context.save(record)
            try context.emit(.followupUpdated, data: record.json)
        }
    }

    /// Writes contact corrections to a customer row as the server's own client, a change with a new version that
    /// tablets pull, and emits `customer.updated`; returns the row afterwards.
    mutating func correctCustomer(id: String, fields: [String: JSONValue]) throws -> StoredRow {
        let key = id.lowercased()
        guard let existing = try context.row(id: key), existing.entity == .customer, !existing.deleted else {
            throw StoreError.notFound("customer \(id) does not exist")
        }
        var clock = stamps
        let mutation = IncomingMutation(
            id: try context.lastMutationId(clientId: Self.clientId) + 1,
            entity: EntityKind.customer.rawValue,
            entityId: key,
            op: .upsert,
            baseVersion: existing.version,
            hlc: clock.tick(),
            fields: fields
        )
        var engine = PushEngine(context: context, clientId: Self.clientId, stamps: clock)
        let result = try engine.run([mutation])
        context = engine.context
        stamps = engine.stamps
        if let problem = result.results.first?.error { throw problem }
        guard let row = try context.row(id: key) else { throw StoreError.notFound("customer \(id) does not exist") }
        if row.version != existing.version {
            try context.emit(.customerUpdated, data: InspectionJSON.withIdentity((row.id, row.version, row.fields)))
            try refreshSnapshots(of: row)
        }
        return row
    }
}
