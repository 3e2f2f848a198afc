import Foundation
import RevisitModel

/// What the follow-up rules need from storage inside the transaction that closes an inspection or records an
/// outcome: the rows, the tenant's settings, the follow-ups, and the outbox (every event is written in the same
/// transaction as the change that causes it).
protocol FollowUpContext {
    var now: Date { get }
    func settings() throws -> TenantSettings
    func row(id: String) throws -> StoredRow?
    func items(ofInspection id: String) throws -> [StoredRow]
    /// The live vehicles of a customer.
    func vehicles(ofCustomer id: String) throws -> [StoredRow]
    func odometerSamples(vehicleId: String) throws -> [OdometerSample]
    func template(id: String, version: Int?) throws -> Template?
    func followup(itemId: String) throws -> FollowUpRecord?
    func openFollowups(vehicleId: String, code: String) throws -> [FollowUpRecord]
    func save(_ followup: FollowUpRecord) throws
    /// Every open follow-up of a vehicle, whatever its item code.
    func openFollowups(vehicleId: String) throws -> [FollowUpRecord]
    /// The odometer readings the CRM reported for a vehicle; an inspection's are in ``odometerSamples(vehicleId:)``.
    func reportedReadings(vehicleId: String) throws -> [OdometerReading]
    func save(reading: OdometerReading, vehicleId: String) throws
    /// The plans that pay for work on a vehicle, in their order of precedence.
    func coveragePlans(vehicleId: String) throws -> [CoveragePlan]
    func save(coveragePlans: [CoveragePlan], vehicleId: String) throws
    /// An id for a record the rules make (a conflict, a follow-up), from the writer's ``IdSource``.
    func newId() -> String
    /// An event id (`evt_…`) from the writer's ``IdSource``.
    func newEventId() -> String
    /// Writes an event and its pending deliveries to the endpoints subscribed to its type.
    func append(_ event: EventEnvelope) throws
}

extension FollowUpContext {
    /// Writes an event of `type` that happens now.
    func emit(_ type: EventType, data: [String: JSONValue]) throws {
        try append(EventEnvelope(id: newEventId(), type: type, timestamp: now, data: data))
    }

    /// Every reading of a vehicle: its inspections' and those the CRM reported.
    func allOdometerSamples(vehicleId: String) throws -> [OdometerSample] {
        try odometerSamples(vehicleId: vehicleId) + reportedReadings(vehicleId: vehicleId).map(\.sample)
    }
}

/// The event types of DESIGN section 7.
public enum EventType: String, Sendable, CaseIterable {
    case inspectionCompleted = "inspection.completed"
    case inspectionClosed = "inspection.closed"
    case followupScheduled = "followup.scheduled"
    case followupReleased = "followup.released"
    case followupUpdated = "followup.updated"
    case followupFulfilled = "followup.fulfilled"
    case followupCancelled = "followup.cancelled"
    case conflictDetected = "conflict.detected"
    case reviewRequested = "review.requested"
    case reviewCompleted = "review.completed"
    case customerUpdated = "customer.updated"
}
