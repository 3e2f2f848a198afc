import Foundation
import RevisitModel

/// A row as the push engine reads and writes it: values and the per-field open writes they come from.
struct StoredRow: Sendable {
    var entity: EntityKind
    var id: String
    var version: Int64
    var deleted: Bool
    var fields: [String: JSONValue]
    var merge: MergeState
    var createdAt: Date
    var updatedAt: Date
}

/// What a push outcome kept for `duplicate` answers.
struct StoredOutcome: Sendable {
    var status: MutationStatus
    var version: Int64?
    var error: MutationProblem?
}

/// The storage a push runs against, inside one transaction. The engine holds the rules; a backend answers these
/// questions (reading its own earlier writes of the same push) and writes what the engine decides.
protocol PushContext: FollowUpContext {
    var now: Date { get }
    func lastMutationId(clientId: String) throws -> Int64
    func setLastMutationId(clientId: String, _ id: Int64) throws
    func outcome(clientId: String, mutationId: Int64) throws -> StoredOutcome?
    func saveOutcome(clientId: String, mutationId: Int64, _ outcome: StoredOutcome) throws
    /// A row in any state; a purged tombstone comes back as a deleted row without fields.
    func row(id: String) throws -> StoredRow?
    func save(_ row: StoredRow) throws
    /// Whether a live row refers to this vehicle or customer.
    func hasLiveReferences(to id: String) throws -> Bool
    /// The live items of an inspection.
    func items(ofInspection id: String) throws -> [StoredRow]
    func attachmentExists(sha256: String) throws -> Bool
    func template(id: String, version: Int?) throws -> Template?
    /// The next version of the tenant's change sequence.
    mutating func nextVersion() -> Int64
    /// The open conflict of a field, if any.
    func openConflict(entityId: String, field: String) throws -> ConflictRecord?
    /// The open conflicts of a row.
    func openConflicts(entityId: String) throws -> [ConflictRecord]
    func save(_ conflict: ConflictRecord) throws
}
