import Foundation
import GRDB
import RevisitModel

/// Reads rows as this store shows them (``LocalRow``) inside a database access, so an edit can read and queue in
/// one transaction.
struct LocalReader {
    let db: Database
    let clientId: String

    init(_ db: Database) throws {
        self.db = db
        clientId = try StoreState.fetch(db).clientId
    }

    func serverRow(_ id: String) throws -> ServerRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM server_rows WHERE id = ?"), arguments: [id])
            .map(ServerRow.init(row:))
    }

    func pending(entityId: String) throws -> [QueuedMutation] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM mutations WHERE entity_id = ? ORDER BY id"),
            arguments: [entityId]
        ).map(QueuedMutation.init(row:))
    }

    /// One row, composed; nil when unknown or of another entity.
    func row(_ entity: EntityKind, _ id: String, ignoringPending: Bool = false) throws -> LocalRow? {
        let server = try serverRow(id)
        if let server, server.entity != entity.rawValue { return nil }
        let pending = try self.pending(entityId: id).filter { $0.entity == entity }
        return LocalRow.compose(
            entity: entity,
            id: id,
            server: server,
            pending: pending,
            clientId: clientId,
            ignoringPending: ignoringPending
        )
    }

    /// The items of an inspection (server rows and pending ones), composed, by code.
    func items(ofInspection id: String, ignoringPending: Bool) throws -> [String: LocalRow] {
        let servers = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM server_rows WHERE inspection_id = ? AND entity = 'item'"),
            arguments: [id]
        ).map(ServerRow.init(row:))
        let pending = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT * FROM mutations WHERE inspection_id = ? AND entity = 'item' ORDER BY id"
            ),
            arguments: [id]
        ).map(QueuedMutation.init(row:))
        let pendingById = Dictionary(grouping: pending, by: \.entityId)
        let serverById = Dictionary(servers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var items: [String: LocalRow] = [:]
        for itemId in Set(serverById.keys).union(pendingById.keys) {
            guard
                let row = LocalRow.compose(
                    entity: .item,
                    id: itemId,
                    server: serverById[itemId],
                    pending: pendingById[itemId] ?? [],
                    clientId: clientId,
                    ignoringPending: ignoringPending
                ),
                !row.deleted, let code = row.string("code")
            else { continue }
            items[code] = row
        }
        return items
    }

    /// Every live row of an entity (server copies and queued creations), composed.
    func allRows(_ entity: EntityKind) throws -> [LocalRow] {
        let servers = try Row.fetchAll(
            db,
            sql: "SELECT * FROM server_rows WHERE entity = ?",
            arguments: [entity.rawValue]
        ).map(ServerRow.init(row:))
        let pending = try Row.fetchAll(
            db,
            sql: "SELECT * FROM mutations WHERE entity = ? ORDER BY id",
            arguments: [entity.rawValue]
        ).map(QueuedMutation.init(row:))
        let pendingById = Dictionary(grouping: pending, by: \.entityId)
        var rows: [LocalRow] = []
        var seen: Set<String> = []
        for server in servers {
            seen.insert(server.id)
            if let row = LocalRow.compose(
                entity: entity,
                id: server.id,
                server: server,
                pending: pendingById[server.id] ?? [],
                clientId: clientId
            ), !row.deleted {
                rows.append(row)
            }
        }
        for (id, mutations) in pendingById where !seen.contains(id) {
            if let row = LocalRow.compose(
                entity: entity,
                id: id,
                server: nil,
                pending: mutations,
                clientId: clientId
            ), !row.deleted {
                rows.append(row)
            }
        }
        return rows
    }

    /// Vehicles whose VIN or plate matches, server copies and queued ones, composed.
    func vehicles(vin: String?, plate: String?) throws -> [LocalRow] {
        var ids: Set<String> = []
        if let vin {
            ids.formUnion(
                try String.fetchAll(
                    db,
                    sql: "SELECT id FROM server_rows WHERE vin = ? AND entity = 'vehicle'",
                    arguments: [vin.uppercased()]
                )
            )
            ids.insert(DerivedID.vehicle(vin: vin).lowercasedString)
        }
        if let plate {
            ids.formUnion(
                try String.fetchAll(
                    db,
                    sql: "SELECT id FROM server_rows WHERE plate_key = ? AND entity = 'vehicle'",
                    arguments: [Plate.searchKey(plate)]
                )
            )
        }
        ids.formUnion(try String.fetchAll(db, sql: "SELECT DISTINCT entity_id FROM mutations WHERE entity = 'vehicle'"))
        return try ids.sorted().compactMap { try row(.vehicle, $0) }.filter { row in
            guard !row.deleted else { return false }
            if let vin, row.string("vin")?.uppercased() == vin.uppercased() { return true }
            if let plate, let known = row.string("plate"), Plate.searchKey(known) == Plate.searchKey(plate) {
                return true
            }
            return false
        }
    }

    /// The inspection an id or a unique id prefix names.
    func resolveInspection(_ text: String) throws -> String {
        let prefix = text.lowercased().trimmingCharacters(in: .whitespaces)
        guard !prefix.isEmpty, prefix.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw RevisitClientError(.unknownInspection, "\"\(text)\" is not an inspection id")
        }
        let pattern = prefix.replacingOccurrences(of: "%", with: "") + "%"
        let ids = Set(
            try String.fetchAll(
                db,
                sql: "SELECT id FROM server_rows WHERE entity = 'inspection' AND deleted = 0 AND id LIKE ?",
                arguments: [pattern]
            )
                + String.fetchAll(
                    db,
                    sql: "SELECT DISTINCT entity_id FROM mutations WHERE entity = 'inspection' AND entity_id LIKE ?",
                    arguments: [pattern]
                )
        )
        guard !ids.isEmpty else {
            throw RevisitClientError(
                .unknownInspection,
                "no inspection \(text) in this store (revisit inspect list shows them; sync to get other tablets')"
            )
        }
        guard ids.count == 1, let id = ids.first else {
            throw RevisitClientError(
                .ambiguousInspection,
                "\(text) matches \(ids.count) inspections (\(ids.sorted().prefix(5).joined(separator: ", "))); "
                    + "give more of the id"
            )
        }
        return id
    }
}
