import Foundation
import GRDB
import RevisitModel

extension ClientStore {
    /// Queues edits in the caller's write transaction: each gets the next mutation id, a tick of the persisted
    /// HLC and the version of the row this store has seen (0 for a row it never pulled), so ids stay gap-free and
    /// clocks monotonic across restarts and across processes sharing the store.
    @discardableResult
    static func enqueue(
        _ drafts: [MutationDraft],
        physicalMillis: Int64,
        now: Date,
        _ db: Database
    ) throws
        -> [Int64]
    {
        let state = try StoreState.fetch(db)
        var clock = HybridLogicalClock(last: state.hlc)
        var nextId = state.nextMutationId
        var ids: [Int64] = []
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO mutations (id, entity, entity_id, op, base_version, hlc_wall, hlc_counter, fields,
                inspection_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)
                """
        )
        let version = try db.cachedStatement(sql: "SELECT version FROM server_rows WHERE id = ?")
        for draft in drafts {
            let hlc = clock.tick(physicalMillis: physicalMillis)
            let base = try Int64.fetchOne(version, arguments: [draft.entityId]) ?? 0
            try insert.execute(arguments: [
                nextId, draft.entity.rawValue, draft.entityId, draft.op, base, hlc.wall, hlc.counter,
                JSONValue.object(draft.fields).jsonString, draft.inspectionId, RFC3339DateTime.string(from: now),
            ])
            ids.append(nextId)
            nextId += 1
        }
        try db.execute(
            sql: "UPDATE client_state SET next_mutation_id = ?, hlc_wall = ?, hlc_counter = ? WHERE id = 1",
            arguments: [nextId, clock.last.wall, clock.last.counter]
        )
        return ids
    }

    /// The oldest pending mutations, in id order (the order they must be pushed in).
    func pendingBatch(limit: Int) async throws -> [QueuedMutation] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mutations ORDER BY id LIMIT ?", arguments: [limit])
                .map(QueuedMutation.init(row:))
        }
    }

    /// Every pending mutation, oldest first.
    func pendingMutations() throws -> [QueuedMutation] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mutations ORDER BY id").map(QueuedMutation.init(row:))
        }
    }

    func pendingCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM mutations") ?? 0 }
    }

    /// Gives the pending mutations consecutive ids from `expected`, after the server answered `mutation-gap`
    /// (it lost ids this store had sent, as after a restore, or this store logged in to another tenant). The
    /// server never processed any id from `expected` on, so renumbering cannot make it apply an edit twice.
    func renumberPending(from expected: Int64) async throws {
        try await pool.write { db in
            guard let first = try Int64.fetchOne(db, sql: "SELECT min(id) FROM mutations"), first != expected else {
                return
            }
            try db.execute(sql: "UPDATE mutations SET id = -id")
            try db.execute(sql: "UPDATE mutations SET id = -id - ?", arguments: [first - expected])
            let count = try Int64.fetchOne(db, sql: "SELECT count(*) FROM mutations") ?? 0
            try db.execute(
                sql: "UPDATE client_state SET next_mutation_id = ? WHERE id = 1",
                arguments: [expected + count]
            )
        }
    }

    /// The rejected mutations, oldest first.
    func rejectedMutations() throws -> [RejectedMutation] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rejected_mutations ORDER BY seq").map(RejectedMutation.init(row:))
        }
    }

    /// Forgets rejected mutations once a person has dealt with them (all when `ids` is nil).
    @discardableResult
    func discardRejected(mutationIds ids: [Int64]?) throws -> Int {
        try pool.write { db in
            if let ids {
                try db.execute(
                    sql:
                        "DELETE FROM rejected_mutations WHERE mutation_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments(ids)
                )
            } else {
                try db.execute(sql: "DELETE FROM rejected_mutations")
            }
            return db.changesCount
        }
    }
}

extension QueuedMutation {
    init(row: Row) throws {
        guard let entity = EntityKind(rawValue: row["entity"]) else {
            throw RevisitClientError(.invalidValue, "a queued mutation has an unknown entity")
        }
        self.init(
            id: row["id"],
            entity: entity,
            entityId: row["entity_id"],
            op: row["op"],
            baseVersion: row["base_version"],
            hlc: HLC(wall: row["hlc_wall"], counter: row["hlc_counter"]),
            fields: try JSONValue.parse(Data((row["fields"] as String).utf8)).objectValue ?? [:],
            createdAt: RFC3339DateTime.date(from: row["created_at"]) ?? Date(timeIntervalSince1970: 0)
        )
    }
}

extension RejectedMutation {
    init(row: Row) throws {
        let problem = try JSONDecoder().decode(MutationProblem.self, from: Data((row["problem"] as String).utf8))
        self.init(
            mutationId: row["mutation_id"],
            entity: row["entity"],
            entityId: row["entity_id"],
            op: row["op"],
            fields: try JSONValue.parse(Data((row["fields"] as String).utf8)).objectValue ?? [:],
            problem: problem,
            createdAt: RFC3339DateTime.date(from: row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            rejectedAt: RFC3339DateTime.date(from: row["rejected_at"]) ?? Date(timeIntervalSince1970: 0)
        )
    }
}
