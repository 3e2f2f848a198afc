import Foundation
import RevisitModel

/// `upsert` changes only the listed fields; `delete` leaves a tombstone.
public enum MutationOp: String, Sendable, Codable {
    case upsert, delete
}

/// One mutation of a push, as the HTTP layer decoded it. `entity` stays a string so that an unknown entity rejects
/// only its own mutation instead of the whole request.
public struct IncomingMutation: Sendable {
    public var id: Int64
    public var entity: String
    public var entityId: String
    public var op: MutationOp
    public var baseVersion: Int64
    public var hlc: HLC
    public var fields: [String: JSONValue]

    public init(
        id: Int64,
        entity: String,
        entityId: String,
        op: MutationOp,
        baseVersion: Int64,
        hlc: HLC,
        fields: [String: JSONValue]
    ) {
        self.id = id
        self.entity = entity
        self.entityId = entityId
        self.op = op
        self.baseVersion = baseVersion
        self.hlc = hlc
        self.fields = fields
    }
}

public enum MutationStatus: String, Sendable, Codable {
    case applied, duplicate, rejected
}

/// The answer for one mutation of a push (DESIGN section 4).
public struct MutationResult: Sendable {
    public var id: Int64
    public var status: MutationStatus
    public var version: Int64?
    public var conflicts: [ConflictRecord]
    public var error: MutationProblem?
    /// For a `duplicate`: what happened the first time, while the outcome is still kept.
    public var original: MutationStatus?
    public var hlcClamped: Bool

    public init(
        id: Int64,
        status: MutationStatus,
        version: Int64? = nil,
        conflicts: [ConflictRecord] = [],
        error: MutationProblem? = nil,
        original: MutationStatus? = nil,
        hlcClamped: Bool = false
    ) {
        self.id = id
        self.status = status
        self.version = version
        self.conflicts = conflicts
        self.error = error
        self.original = original
        self.hlcClamped = hlcClamped
    }
}

public struct PushResult: Sendable {
    public var results: [MutationResult]
    public var lastMutationId: Int64
}

/// One row in a pull: its whole current state, or a tombstone. The fields stay in their stored JSON text, so a
/// pull can pass them through without reading them.
public struct Change: Sendable {
    public var entity: String
    public var entityId: String
    public var version: Int64
    public var deleted: Bool
    /// The row's fields as compact JSON (an object).
    public var fieldsJSON: String

    public var fields: [String: JSONValue] {
        (try? JSONValue.parse(Data(fieldsJSON.utf8)))?.objectValue ?? [:]
    }
}

/// ``SyncStore/tenantStamp(tenantId:)``.
public struct TenantStamp: Sendable, Hashable {
    public var version: Int64
    /// The stored settings' text (nil: the defaults), compared, not decoded.
    public var settingsText: String?

    public init(version: Int64, settingsText: String?) {
        self.version = version
        self.settingsText = settingsText
    }

    /// The settings the text stands for.
    public var settings: TenantSettings { TenantSettings(storedText: settingsText) }
}

public struct PullPage: Sendable {
    public var changes: [Change]
    public var cursor: String
    public var hasMore: Bool

    public init(changes: [Change], cursor: String, hasMore: Bool) {
        self.changes = changes
        self.cursor = cursor
        self.hasMore = hasMore
    }
}

/// A page of a list; `nextCursor` is nil on the last page.
public struct Page<Element: Sendable>: Sendable {
    public var items: [Element]
    public var nextCursor: String?

    public init(items: [Element], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A conflict as the log keeps it (DESIGN section 5).
public struct ConflictRecord: Sendable, Hashable {
    public var id: String
    public var entity: String
    public var entityId: String
    public var field: String
    public var rule: String
    public var winner: JSONValue
    public var writes: [OpenWrite]
    public var resolved: Bool
    public var createdAt: Date
    public var resolvedAt: Date?
}
