import Foundation
import RevisitModel

/// Turns a closed inspection into follow-ups (DESIGN section 6), in the transaction that closes it: one per item
/// that is deferred work, idempotent per item, one open follow-up per vehicle and item code (a newer one supersedes
/// the older), and an item found `ok` or approved fulfils the open follow-up of an earlier inspection.
struct FollowUpWriter<Context: FollowUpContext> {
    let context: Context

    func inspectionClosed(_ inspection: StoredRow) throws {
        let now = context.now
        let settings = try context.settings()
        let vehicleId = inspection.fields["vehicleId"]?.stringValue ?? ""
        let vehicle = try context.row(id: vehicleId)
        let vehicleKind = vehicle?.fields["kind"]?.stringValue.flatMap(VehicleKind.init(rawValue:)) ?? .customer
        let customer = try vehicle?.fields["customerId"]?.stringValue.flatMap { try context.row(id: $0) }
        let items = try context.items(ofInspection: inspection.id)
        let template = try context.template(
            id: inspection.fields["templateId"]?.stringValue ?? "",
            version: inspection.fields["templateVersion"]?.intValue.map { Int($0) }
        )
        let readings = try context.allOdometerSamples(vehicleId: vehicleId)
        let estimate = KmPerDayEstimator.estimate(readings)
        let inspectedAt = inspection.fields["inspectedAt"]?.stringValue.flatMap(RFC3339DateTime.date(from:)) ?? now
        let vehicleSnapshot = RowSnapshot.vehicle(vehicle, odometer: inspection.fields["odometer"])
        let plans = try context.coveragePlans(vehicleId: vehicleId)
        let customerSnapshot = customer.map(RowSnapshot.customer)

        for item in items.sorted(by: { ($0.fields["code"]?.stringValue ?? "") < ($1.fields["code"]?.stringValue ?? "") }
        ) {
            let code = item.fields["code"]?.stringValue ?? ""
            let status = item.fields["status"]?.stringValue.flatMap(ItemStatus.init(rawValue:)) ?? .unchecked
            let decision = item.fields["customerDecision"]?.stringValue.flatMap(CustomerDecision.init(rawValue:))
            let open = try context.openFollowups(vehicleId: vehicleId, code: code).filter { $0.itemId != item.id }
            if status == .ok || decision == .approved {
                for var earlier in open {
                    try change(&earlier, to: .fulfilled, event: .followupFulfilled)
                }
            }
            guard let kind = FollowUpSelection.select(status: status, decision: decision, vehicleKind: vehicleKind),
                try context.followup(itemId: item.id) == nil
            else { continue }
            let templateItem = template?.item(code: code)
            let plan = FollowUpPlanner.plan(
                FollowUpInput(
                    kind: kind,
                    dueDate: item.fields["dueDate"]?.stringValue.flatMap(CalendarDate.init),
                    remainingKm: item.fields["remainingKm"]?.intValue,
                    templateIntervalDays: templateItem?.defaultIntervalDays,
                    inspectedAt: inspectedAt,
                    closedAt: now,
                    vehicleEstimate: estimate
                ),
                settings: settings
            )
            for var older in open where older.state.isOpen {
                try change(&older, to: .superseded, event: .followupUpdated)
            }
            var followup = FollowUpRecord(
                id: context.newId(),
                itemId: item.id,
                inspectionId: inspection.id,
                vehicleId: vehicleId,
                code: code,
                title: templateItem?.title ?? code,
                plan: plan,
                dueSource: Self.dueSource(plan.source, estimated: estimate != nil),
                dueOdometer: plan.source == FollowUpPlan.Source.remainingKm
                    ? Self.dueOdometer(inspection.fields["odometer"]?.intValue, item.fields["remainingKm"]?.intValue)
                    : nil,
                category: templateItem?.category,
                estimatedCost: Self.cost(item.fields["estimatedCost"], currency: settings.currency),
                vehicle: vehicleSnapshot,
                customer: customerSnapshot,
                timeZone: settings.timeZone,
                now: now
            )
            followup.coverage = followup.cover(plans: plans, readings: readings, settings: settings)
            try context.save(followup)
            try context.emit(.followupScheduled, data: followup.json)
        }
    }

    /// Moves a follow-up to a new state, bumps its version and emits the event that says so.
    func change(_ followup: inout FollowUpRecord, to state: FollowUpState, event: EventType) throws {
        followup = followup.changed(to: state, at: context.now)
        try context.save(followup)
        try context.emit(event, data: followup.json)
    }

    /// The API's names for where a due date came from.
    static func dueSource(_ source: FollowUpPlan.Source, estimated: Bool) -> String {
        switch source {
        case .dueDate: "due_date"
        case .remainingKm: estimated ? "km_estimate" : "km_default"
        case .templateInterval: "template_interval"
        case .defaultInterval: "default"
        case .safety: "safety"
        }
    }

    /// The odometer a kilometre-based follow-up falls due at; unknown without the inspection's odometer.
    static func dueOdometer(_ odometer: Int64?, _ remainingKm: Int64?) -> Int64? {
        guard let odometer, let remainingKm, odometer >= 0 else { return nil }
        let (sum, overflow) = odometer.addingReportingOverflow(max(0, remainingKm))
        return overflow ? nil : sum
    }

    /// An item's cost in the tenant's currency when it names none.
    static func cost(_ value: JSONValue?, currency: String) -> JSONValue? {
        guard var object = value?.objectValue, object["amount"] != nil else { return nil }
        if object["currency"] == nil || object["currency"] == .null { object["currency"] = .string(currency) }
        return .object(object)
    }
}
