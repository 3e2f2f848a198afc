import Foundation
import GRDB
import RevisitModel

/// A row as the server last sent it, with what the client knows of its merge state.
///
/// A pull carries each row's merged values and its version, not its open writes. The client therefore keeps, per
/// field, the version at which the value last changed, and stands each field in as one open write stamped with
/// that version. A pending edit that had seen that version closes it (the ordinary case: its value simply shows);
/// an edit made before a concurrent change arrived stays open beside it, and the field's rule decides, exactly as
/// the server will (severity for `status`, lifecycle for `state`, union for `photos`). For last-writer-wins the
/// stand-in has no clock of its own, so the local edit shows as the later write until the next sync says
/// otherwise.
struct ServerRow: Sendable {
    var entity: String
    var id: String
    var version: Int64
    var deleted: Bool
    var fields: [String: JSONValue]
    /// Fields that last changed before ``version``, with the version they changed at.
    var olderFieldVersions: [String: Int64]

    /// The version at which `field` last changed.
    func version(of field: String) -> Int64 { olderFieldVersions[field] ?? version }

    /// The open writes the client can know: one per field, by no client, stamped with the field's version.
    var mergeState: MergeState {
        MergeState(
            fields: fields.reduce(into: [:]) { state, field in
                state[field.key] = [
                    OpenWrite(value: field.value, clientId: "", hlc: .zero, version: version(of: field.key))
                ]
            }
        )
    }

    init(
        entity: String,
        id: String,
        version: Int64,
        deleted: Bool,
        fields: [String: JSONValue],
        olderFieldVersions: [String: Int64] = [:]
    ) {
        self.entity = entity
        self.id = id
        self.version = version
        self.deleted = deleted
        self.fields = fields
        self.olderFieldVersions = olderFieldVersions
    }

    init(row: Row) throws {
        let versions = try (row["field_versions"] as String?).map { try JSONValue.parse(Data($0.utf8)) }
        self.init(
            entity: row["entity"],
            id: row["id"],
            version: row["version"],
            deleted: row["deleted"],
            fields: try JSONValue.parse(Data((row["fields"] as String).utf8)).objectValue ?? [:],
            olderFieldVersions: versions?.objectValue?.compactMapValues(\.intValue) ?? [:]
        )
    }

    /// The row after a pulled change: fields whose value did not change keep the version they had.
    func updated(by change: PulledChange) -> ServerRow {
        guard !deleted, !change.deleted else {
            return ServerRow(
                entity: change.entity,
                id: id,
                version: change.version,
                deleted: change.deleted,
                fields: change.fields
            )
        }
        var older: [String: Int64] = [:]
        for (field, value) in change.fields {
            if let old = fields[field], old.sameValue(as: value) { older[field] = version(of: field) }
        }
        return ServerRow(
            entity: change.entity,
            id: id,
            version: change.version,
            deleted: false,
            fields: change.fields,
            olderFieldVersions: older
        )
    }

    /// The statement arguments of the row's columns, in ``ClientStore/rowColumns`` order.
    var arguments: StatementArguments {
        let versions: String? =
            olderFieldVersions.isEmpty ? nil : JSONValue.object(olderFieldVersions.mapValues(JSONValue.int)).jsonString
        var inspectionId: String?
        var plateKey: String?
        var vin: String?
        if !deleted {
            switch entity {
            case EntityKind.item.rawValue: inspectionId = fields["inspectionId"]?.stringValue
            case EntityKind.inspection.rawValue: inspectionId = id
            case EntityKind.vehicle.rawValue:
                plateKey = fields["plate"]?.stringValue.map(Plate.searchKey)
                vin = fields["vin"]?.stringValue?.uppercased()
            default: break
            }
        }
        return [
            id, entity, version, deleted, JSONValue.object(fields).jsonString, versions, inspectionId, plateKey, vin,
        ]
    }
}

/// One change of a pull page, as the sync hands it to the store.
struct PulledChange: Sendable {
    var entity: String
    var id: String
    var version: Int64
    var deleted: Bool
    var fields: [String: JSONValue]
}
