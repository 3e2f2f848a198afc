import Foundation
import Logging
import PostgresNIO
import RevisitModel

extension PostgresTenantContext {
    /// How many rounds of declared reads a push takes at most: the batch's own rows and the rows they point at, then
    /// what those rows lead to (an item's inspection, an inspection's template and vehicle, a stored row's conflicts
    /// and children, repeated mutations' outcomes), then a closed inspection's vehicle's customer.
    static let declaredRounds = 3

    /// Loads what a push's rules will read, declared from the batch before they run, in a few batched rounds: the
    /// rules then run once on the snapshot. Whatever the declaration did not foresee is still fetched by
    /// ``settle(connection:logger:declared:_:)`` (and logged at notice level), so an incomplete declaration costs a
    /// run, never a wrong answer.
    func loadDeclared(
        clientId: String,
        mutations: [IncomingMutation],
        connection: PostgresConnection,
        logger: Logger
    ) async throws {
        var reads = Self.declaredReads(clientId: clientId, mutations: mutations)
        for _ in 0..<Self.declaredRounds {
            let unknown = notCached(reads)
            if unknown.isEmpty { return }
            try await load(unknown, connection: connection, logger: logger)
            noteNewRows(mutations)
            reads = followingReads(clientId: clientId, mutations)
        }
    }

    /// The reads the batch names by itself: the client's last mutation id, each mutation's row, the rows its fields
    /// point at, and its photos.
    static func declaredReads(clientId: String, mutations: [IncomingMutation]) -> Misses {
        var reads = Misses()
        reads.clients = [clientId]
        for mutation in mutations {
            guard let id = mutation.rowId else { continue }
            reads.rows.insert(id)
            for key in ["inspectionId", "vehicleId", "customerId"] {
                if let reference = mutation.fields[key]?.stringValue { reads.rows.insert(reference.lowercased()) }
            }
            for photo in mutation.fields["photos"]?.arrayValue ?? [] {
                if let sha = photo.stringValue { reads.attachments.insert(sha) }
            }
        }
        return reads
    }

    /// A row the database does not hold has no open conflicts, no children and no follow-up: the cache says so
    /// without asking, which spares a push of new rows (the common case) three reads.
    private func noteNewRows(_ mutations: [IncomingMutation]) {
        for mutation in mutations {
            guard let id = mutation.rowId,
                let known = cache.rows[id], known == nil
            else { continue }
            if cache.openConflicts[id] == nil { cache.openConflicts[id] = [] }
            if cache.children[id] == nil { cache.children[id] = [] }
            if cache.followupsByItem[id] == nil { cache.followupsByItem[id] = .some(nil) }
        }
    }

    /// The reads that follow from what the earlier rounds brought: the outcomes of repeated mutations, the open
    /// conflicts of stored rows (and the children of those it deletes or moves through a state), the inspections
    /// of items, the templates and vehicles of inspections, and for an inspection the batch closes or cancels, what
    /// the follow-up rules and the end of its conflicts read (its items' follow-ups and conflicts, the vehicle's
    /// readings, open follow-ups and customer).
    func followingReads(clientId: String, _ mutations: [IncomingMutation]) -> Misses {
        var reads = Misses()
        var inspections: [String: (fields: [String: JSONValue], ending: Bool)] = [:]
        let last = cache.lastMutationIds[clientId] ?? 0
        for mutation in mutations {
            // A repeat is answered with the outcome it had.
            if mutation.id <= last { reads.outcomes.insert(OutcomeKey(clientId: clientId, mutationId: mutation.id)) }
            guard let id = mutation.rowId else { continue }
            let stored = cache.rows[id] ?? nil
            if stored != nil {
                // Its open conflicts may end or grow; a delete or a state change reads its children.
                reads.conflicts.insert(id)
                if mutation.op == .delete || (mutation.entity == EntityKind.inspection.rawValue && mutation.setsState) {
                    reads.children.insert(id)
                }
            }
            switch mutation.entity {
            case EntityKind.item.rawValue:
                let parent = stored?.fields["inspectionId"] ?? mutation.fields["inspectionId"]
                guard let parent = parent?.stringValue?.lowercased() else { continue }
                reads.rows.insert(parent)
                if let inspection = cache.rows[parent] ?? nil, inspections[parent] == nil {
                    inspections[parent] = (inspection.fields, false)
                }
            case EntityKind.inspection.rawValue:
                if mutation.op == .delete {
                    // Its items become tombstones and their conflicts end.
                    reads.conflicts.formUnion((cache.children[id] ?? []).map(\.id))
                    continue
                }
                let earlier = inspections[id]?.fields ?? stored?.fields ?? [:]
                let fields = earlier.merging(mutation.fields) { _, new in new }
                let ending = mutation.endsInspection || (inspections[id]?.ending ?? false)
                inspections[id] = (fields, ending)
            default:
                continue
            }
        }
        for (id, inspection) in inspections {
            reads.templates.insert(
                inspection.fields["templateId"]?.stringValue ?? BuiltInTemplates.standardCar.id
            )
            guard let vehicleId = inspection.fields["vehicleId"]?.stringValue?.lowercased() else { continue }
            reads.rows.insert(vehicleId)
            guard inspection.ending else { continue }
            reads.children.insert(vehicleId)
            reads.followupVehicles.insert(vehicleId)
            if let customerId = (cache.rows[vehicleId] ?? nil)?.fields["customerId"]?.stringValue {
                reads.rows.insert(customerId.lowercased())
            }
            var items = Set((cache.children[id] ?? []).map(\.id))
            for mutation in mutations where mutation.entity == EntityKind.item.rawValue {
                if mutation.fields["inspectionId"]?.stringValue?.lowercased() == id, let item = mutation.rowId {
                    items.insert(item)
                }
            }
            reads.conflicts.formUnion(items)
            reads.followupItems.formUnion(items)
        }
        return reads
    }

    /// `reads` without what the cache already holds.
    private func notCached(_ reads: Misses) -> Misses {
        var unknown = Misses()
        unknown.rows = reads.rows.filter { cache.rows[$0] == nil }
        unknown.children = reads.children.filter { cache.children[$0] == nil }
        unknown.clients = reads.clients.filter { cache.lastMutationIds[$0] == nil }
        unknown.outcomes = reads.outcomes.filter { cache.outcomes[$0.text] == nil }
        unknown.attachments = reads.attachments.filter { cache.attachments[$0] == nil }
        unknown.templates = reads.templates.filter { cache.templates[$0] == nil }
        unknown.conflicts = reads.conflicts.filter { cache.openConflicts[$0] == nil }
        unknown.followupItems = reads.followupItems.filter { cache.followupsByItem[$0] == nil }
        unknown.followupVehicles = reads.followupVehicles.filter { cache.openFollowupsByVehicle[$0] == nil }
        return unknown
    }
}

extension IncomingMutation {
    /// The row's id as stored (the engine's spelling: a lowercase UUID); nil for an id the engine rejects.
    fileprivate var rowId: String? { UUID(uuidString: entityId)?.uuidString.lowercased() }

    /// Whether an inspection upsert names a state: a completed one reports its items, a final one ends their
    /// conflicts.
    fileprivate var setsState: Bool { op == .upsert && fields["state"]?.stringValue != nil }

    /// Whether it takes an inspection to a final state (closed makes follow-ups; both end the items' conflicts).
    fileprivate var endsInspection: Bool {
        guard op == .upsert, let state = fields["state"]?.stringValue.flatMap(InspectionState.init(rawValue:)) else {
            return false
        }
        return state.isFinal
    }
}
