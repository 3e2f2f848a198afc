import Foundation
import PostgresNIO
import RevisitModel

/// The columns a stored row is read with, in this order, by ``StoredRow/init(postgres:)``.
let storedRowColumns = "entity, id, version, deleted, fields, merge, created_at, updated_at"
/// The columns of ``RowRecord/init(postgres:)``: seq first, for list cursors.
let rowRecordColumns = "seq, entity, id, version, deleted, fields, created_at, updated_at"

extension StoredRow {
    init(postgres row: PostgresRow) throws {
        let (entity, id, version, deleted, fields, merge, createdAt, updatedAt) = try row.decode(
            (String, String, Int64, Bool, String, String, Double, Double).self
        )
        guard let kind = EntityKind(rawValue: entity) else {
            throw StoreError.malformed("stored row has an unknown entity")
        }
        self.init(
            entity: kind,
            id: id,
            version: version,
            deleted: deleted,
            fields: try JSONValue.parse(Data(fields.utf8)).objectValue ?? [:],
            merge: MergeState(storageJSON: try JSONValue.parse(Data(merge.utf8))),
            createdAt: Date(timeIntervalSince1970: createdAt),
            updatedAt: Date(timeIntervalSince1970: updatedAt)
        )
    }
}

extension RowRecord {
    /// Reads ``rowRecordColumns``; returns the seq alongside for paging.
    static func postgres(_ row: PostgresRow) throws -> (Int64, RowRecord) {
        let (seq, entity, id, version, deleted, fields, createdAt, updatedAt) = try row.decode(
            (Int64, String, String, Int64, Bool, String, Double, Double).self
        )
        guard let kind = EntityKind(rawValue: entity) else {
            throw StoreError.malformed("stored row has an unknown entity")
        }
        let record = RowRecord(
            entity: kind,
            id: id,
            version: version,
            deleted: deleted,
            fields: try JSONValue.parse(Data(fields.utf8)).objectValue ?? [:],
            createdAt: Date(timeIntervalSince1970: createdAt),
            updatedAt: Date(timeIntervalSince1970: updatedAt)
        )
        return (seq, record)
    }
}

extension ConflictRecord {
    static let postgresColumns =
        "seq, id, entity, entity_id, field, rule, winner, writes, resolved, created_at, resolved_at"

    /// Reads ``postgresColumns``; returns the seq alongside for paging.
    static func postgres(_ row: PostgresRow) throws -> (Int64, ConflictRecord) {
        let (seq, id, entity, entityId, field, rule, winner, writes, resolved, createdAt, resolvedAt) =
            try row.decode(
                (Int64, String, String, String, String, String, String, String, Bool, Double, Double?).self
            )
        let record = try ConflictRecord(
            id: id,
            entity: entity,
            entityId: entityId,
            field: field,
            rule: rule,
            storedWinner: winner,
            storedWrites: writes,
            resolved: resolved,
            createdAt: Date(timeIntervalSince1970: createdAt),
            resolvedAt: resolvedAt.map(Date.init(timeIntervalSince1970:))
        )
        return (seq, record)
    }
}

extension FollowUpRecord {
    init(postgresBody body: String) throws {
        try self.init(storage: JSONValue.parse(Data(body.utf8)))
    }
}

/// Turns `limit + 1` rows with their seq into a page, as ``ListCursor/page(_:limit:_:)`` does for SQLite.
func postgresPage<T>(_ rows: [(Int64, T)], limit: Int) -> Page<T> {
    let items = rows.prefix(limit).map(\.1)
    let next: String? = rows.count > limit ? String(rows[limit - 1].0) : nil
    return Page(items: Array(items), nextCursor: next)
}

/// Arrays for `unnest`: postgres-nio binds no optional array elements, so a nullable column travels as its values
/// and a parallel array saying which are present (`CASE WHEN present THEN value END`).
struct NullableColumn<Value: PostgresArrayEncodable & PostgresNonThrowingEncodable> {
    var values: [Value] = []
    var present: [Bool] = []
    let placeholder: Value

    init(placeholder: Value) { self.placeholder = placeholder }

    mutating func append(_ value: Value?) {
        values.append(value ?? placeholder)
        present.append(value != nil)
    }
}
