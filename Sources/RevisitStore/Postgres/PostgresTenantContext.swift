import Foundation
import RevisitModel

/// A push's (or an outcome's, or a release's) view of one tenant on PostgreSQL, answered from memory. The engine and
/// the follow-up rules are synchronous and ask one question at a time; asking PostgreSQL each of them would cost a
/// round trip per question, hundreds per push. So the context runs the rules against what it has fetched: a question
/// it cannot answer yet is recorded as a miss and answered with an empty default, the store fetches every miss of the
/// run in one round trip per kind, and the rules run again from the start on the fuller cache. A run without misses
/// saw the same answers the database would have given inside the transaction; only its writes are flushed.
final class PostgresTenantContext: PushContext {
    let tenantId: Int64
    let now: Date
    let startVersion: Int64
    let purgedVersion: Int64
    let startEventPosition: Int64
    let tenantSettings: TenantSettings
    /// The highest HLC stored with the tenant (``ServerHLC/highest`` at its last push).
    let storedHLC: HLC
    /// The server's highest HLC after this transaction's stamps, set by the writers that stamp (push, resolve);
    /// the flush stores it with the tenant's counters when it is above ``storedHLC``.
    var highestHLC: HLC?
    private(set) var version: Int64
    /// The ids the rules hand out; every run starts from the same source, so a run again hands out the same ids.
    private let firstIds = IdSource()
    private var ids: IdSource

    /// What the database holds, as fetched so far.
    var cache = Cache()
    /// What this run asked and the cache could not answer.
    var misses = Misses()
    /// What this run wrote.
    var writes = Writes()
    /// How many times the rules have run in this transaction.
    var runs = 0

    struct Cache {
        /// nil: not in the database (and not purged).
        var rows: [String: StoredRow?] = [:]
        /// Live rows by the parent they refer to (items of an inspection, inspections of a vehicle, …).
        var children: [String: [StoredRow]] = [:]
        var lastMutationIds: [String: Int64] = [:]
        var outcomes: [String: StoredOutcome?] = [:]
        var attachments: [String: Bool] = [:]
        /// The tenant's stored versions of a template id (empty: none, the built-in one only).
        var templates: [String: [Int: Template]] = [:]
        var openConflicts: [String: [ConflictRecord]] = [:]
        var followupsByItem: [String: FollowUpRecord?] = [:]
        var openFollowupsByVehicle: [String: [FollowUpRecord]] = [:]
        /// The readings the CRM reported, by vehicle (loaded with its open follow-ups).
        var reportedReadings: [String: [OdometerReading]] = [:]
        /// The plans of a vehicle (loaded with its open follow-ups).
        var coveragePlans: [String: [CoveragePlan]] = [:]
    }

    struct Misses {
        var rows = Set<String>()
        var children = Set<String>()
        var clients = Set<String>()
        var outcomes = Set<OutcomeKey>()
        var attachments = Set<String>()
        var templates = Set<String>()
        var conflicts = Set<String>()
        var followupItems = Set<String>()
        var followupVehicles = Set<String>()

        /// Counts per kind, for the log.
        var summary: String {
            let counts: [(String, Int)] = [
                ("rows", rows.count), ("children", children.count), ("clients", clients.count),
                ("outcomes", outcomes.count), ("attachments", attachments.count), ("templates", templates.count),
                ("conflicts", conflicts.count), ("followupItems", followupItems.count),
                ("followupVehicles", followupVehicles.count),
            ]
            var parts: [String] = []
            for (kind, count) in counts where count > 0 { parts.append("\(kind)=\(count)") }
            return parts.joined(separator: " ")
        }

        var isEmpty: Bool {
            rows.isEmpty && children.isEmpty && clients.isEmpty && outcomes.isEmpty && attachments.isEmpty
                && templates.isEmpty && conflicts.isEmpty && followupItems.isEmpty && followupVehicles.isEmpty
        }
    }

    struct OutcomeKey: Hashable {
        var clientId: String
        var mutationId: Int64
        var text: String { "\(clientId)\u{1}\(mutationId)" }
    }

    /// Writes in the order they were made; a row, conflict or follow-up written twice keeps its last state.
    struct Writes {
        var rows: [String: StoredRow] = [:]
        var rowOrder: [String] = []
        var lastMutationIds: [String: Int64] = [:]
        var outcomes: [(OutcomeKey, StoredOutcome)] = []
        var conflicts: [String: (ConflictRecord, Bool)] = [:]
        var conflictOrder: [String] = []
        var followups: [String: FollowUpRecord] = [:]
        var followupOrder: [String] = []
        var events: [EventEnvelope] = []
        var readings: [(vehicleId: String, reading: OdometerReading)] = []
        var coveragePlans: [String: [CoveragePlan]] = [:]
    }

    init(
        tenantId: Int64,
        now: Date,
        version: Int64,
        purgedVersion: Int64,
        eventPosition: Int64,
        settings: TenantSettings,
        storedHLC: HLC
    ) {
        self.tenantId = tenantId
        self.now = now
        self.startVersion = version
        self.version = version
        self.purgedVersion = purgedVersion
        self.startEventPosition = eventPosition
        self.tenantSettings = settings
        self.storedHLC = storedHLC
        self.ids = firstIds
    }

    /// Forgets a run's writes and misses before the next run; the cache stays.
    /// Called by ``settle(connection:logger:declared:_:)`` before each run.
    func reset() {
        version = startVersion
        ids = firstIds
        misses = Misses()
        writes = Writes()
    }

    var hasWrites: Bool {
        !writes.rows.isEmpty || !writes.lastMutationIds.isEmpty || !writes.outcomes.isEmpty
            || !writes.conflicts.isEmpty || !writes.followups.isEmpty || !writes.events.isEmpty
            || !writes.readings.isEmpty || !writes.coveragePlans.isEmpty
    }

    // MARK: PushContext

    func nextVersion() -> Int64 {
        version += 1
        return version
    }

    func lastMutationId(clientId: String) throws -> Int64 {
        if let written = writes.lastMutationIds[clientId] { return written }
        guard let known = cache.lastMutationIds[clientId] else {
            misses.clients.insert(clientId)
            return 0
        }
        return known
    }

    func setLastMutationId(clientId: String, _ id: Int64) throws {
        writes.lastMutationIds[clientId] = id
    }

    func outcome(clientId: String, mutationId: Int64) throws -> StoredOutcome? {
        let key = OutcomeKey(clientId: clientId, mutationId: mutationId)
        if let written = writes.outcomes.last(where: { $0.0 == key }) { return written.1 }
        guard let known = cache.outcomes[key.text] else {
            misses.outcomes.insert(key)
            return nil
        }
        return known
    }

    func saveOutcome(clientId: String, mutationId: Int64, _ outcome: StoredOutcome) throws {
        writes.outcomes.append((OutcomeKey(clientId: clientId, mutationId: mutationId), outcome))
    }

    func row(id: String) throws -> StoredRow? {
        if let written = writes.rows[id] { return written }
        guard let known = cache.rows[id] else {
            if !id.isEmpty { misses.rows.insert(id) }
            return nil
        }
        return known
    }

    func save(_ row: StoredRow) throws {
        if writes.rows.updateValue(row, forKey: row.id) == nil { writes.rowOrder.append(row.id) }
    }

    func vehicles(ofCustomer id: String) throws -> [StoredRow] {
        liveChildren(of: id).filter { $0.entity == .vehicle }
    }

    /// The live rows that refer to `parent`, as the transaction would see them after this run's writes.
    private func liveChildren(of parent: String) -> [StoredRow] {
        var result: [StoredRow]
        if let known = cache.children[parent] {
            result = known.filter { writes.rows[$0.id] == nil }
        } else {
            misses.children.insert(parent)
            result = []
        }
        for id in writes.rowOrder {
            guard let row = writes.rows[id], RowProjection(row).parentId == parent else { continue }
            result.append(row)
        }
        return result
    }

    func hasLiveReferences(to id: String) throws -> Bool {
        !liveChildren(of: id).isEmpty
    }

    func items(ofInspection id: String) throws -> [StoredRow] {
        liveChildren(of: id).filter { $0.entity == .item }
    }

    func attachmentExists(sha256: String) throws -> Bool {
        guard let known = cache.attachments[sha256] else {
            misses.attachments.insert(sha256)
            return false
        }
        return known
    }

    func template(id: String, version: Int?) throws -> Template? {
        guard let stored = cache.templates[id] else {
            misses.templates.insert(id)
            return nil
        }
        return TemplateVersions.resolve(id: id, version: version, stored: stored)
    }

    func openConflicts(entityId: String) throws -> [ConflictRecord] {
        var result: [ConflictRecord]
        if let known = cache.openConflicts[entityId] {
            result = known.filter { writes.conflicts[$0.id] == nil }
        } else {
            misses.conflicts.insert(entityId)
            result = []
        }
        for id in writes.conflictOrder {
            guard let (conflict, _) = writes.conflicts[id], conflict.entityId == entityId, !conflict.resolved
            else { continue }
            result.append(conflict)
        }
        return result
    }

    func openConflict(entityId: String, field: String) throws -> ConflictRecord? {
        try openConflicts(entityId: entityId).first { $0.field == field }
    }

    func save(_ conflict: ConflictRecord) throws {
        if writes.conflicts[conflict.id] == nil {
            writes.conflictOrder.append(conflict.id)
            writes.conflicts[conflict.id] = (conflict, true)
        } else {
            writes.conflicts[conflict.id]?.0 = conflict
        }
    }

    // MARK: FollowUpContext

    func settings() throws -> TenantSettings { tenantSettings }

    func odometerSamples(vehicleId: String) throws -> [OdometerSample] {
        liveChildren(of: vehicleId).compactMap { row in
            row.entity == .inspection ? InspectionOdometer.reading(row.fields) : nil
        }
    }

    func followup(itemId: String) throws -> FollowUpRecord? {
        if let id = writes.followupOrder.last(where: { writes.followups[$0]?.itemId == itemId }) {
            return writes.followups[id]
        }
        guard let known = cache.followupsByItem[itemId] else {
            misses.followupItems.insert(itemId)
            return nil
        }
        return known
    }

    func openFollowups(vehicleId: String, code: String) throws -> [FollowUpRecord] {
        try openFollowups(vehicleId: vehicleId).filter { $0.code == code }
    }

    func openFollowups(vehicleId: String) throws -> [FollowUpRecord] {
        var result: [FollowUpRecord]
        if let known = cache.openFollowupsByVehicle[vehicleId] {
            result = known.filter { writes.followups[$0.id] == nil }
        } else {
            misses.followupVehicles.insert(vehicleId)
            result = []
        }
        for id in writes.followupOrder {
            guard let followup = writes.followups[id], followup.vehicleId == vehicleId else { continue }
            result.append(followup)
        }
        return result.filter { $0.state.isOpen }
    }

    /// Loaded with the vehicle's open follow-ups: whoever plans or re-plans them reads both.
    func reportedReadings(vehicleId: String) throws -> [OdometerReading] {
        guard let known = cache.reportedReadings[vehicleId] else {
            misses.followupVehicles.insert(vehicleId)
            return []
        }
        return known + writes.readings.filter { $0.vehicleId == vehicleId }.map(\.reading)
    }

    func coveragePlans(vehicleId: String) throws -> [CoveragePlan] {
        if let written = writes.coveragePlans[vehicleId] { return written }
        guard let known = cache.coveragePlans[vehicleId] else {
            misses.followupVehicles.insert(vehicleId)
            return []
        }
        return known
    }

    func save(coveragePlans plans: [CoveragePlan], vehicleId: String) throws {
        writes.coveragePlans[vehicleId] = plans
    }

    func save(reading: OdometerReading, vehicleId: String) throws {
        writes.readings.append((vehicleId, reading))
    }

    func save(_ followup: FollowUpRecord) throws {
        if writes.followups.updateValue(followup, forKey: followup.id) == nil {
            writes.followupOrder.append(followup.id)
        }
    }

    func newId() -> String { ids.uuid() }

    func newEventId() -> String { ids.event() }

    func append(_ event: EventEnvelope) throws {
        writes.events.append(event)
    }
}
