import Foundation
import RevisitModel

/// A simulated tablet's local store: one `clientId` whose mutation ids start at 1 and increase by exactly 1
/// (DESIGN section 4), so its batches must be sent in the order they were made.
struct ClientStore {
    let clientId: String
    private(set) var nextMutationId: Int64 = 1
    private var rng: SplitMix64

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
        clientId =
            UUIDv7.make(unixMillis: Int64(UInt64(Date().timeIntervalSince1970 * 1000)), using: &rng)
            .lowercasedString
    }

    /// A push of `count` new rows from inspections numbered from `firstSerial`.
    mutating func batch(count: Int, firstSerial: Int) throws -> PushBatch {
        let rows = Workload.rows(count: count, firstSerial: firstSerial, using: &rng)
        return try batch(of: rows)
    }

    /// A push of closed inspections numbered `serials`, every item deferred to `dueDate` (a follow-up each).
    mutating func closedInspectionsBatch(serials: some Sequence<Int>, dueDate: String) throws -> PushBatch {
        var rows: [Workload.Row] = []
        for serial in serials {
            rows.append(contentsOf: Workload.closedInspectionRows(serial: serial, dueDate: dueDate, using: &rng))
        }
        return try batch(of: rows)
    }

    /// The rows as `upsert` mutations in order; the HLC counter grows along the batch, so a later change to the same
    /// row (an inspection's state going to `completed`, then `closed`) is also later by the clock.
    private mutating func batch(of rows: [Workload.Row]) throws -> PushBatch {
        let wall = Int64(Date().timeIntervalSince1970 * 1000)
        var mutations: [[String: Any]] = []
        mutations.reserveCapacity(rows.count)
        let first = nextMutationId
        for (index, row) in rows.enumerated() {
            mutations.append([
                "id": Int(nextMutationId), "entity": row.entity, "entityId": row.entityId, "op": "upsert",
                "baseVersion": 0, "hlc": ["wall": Int(wall), "counter": index], "fields": row.fields,
            ])
            nextMutationId += 1
        }
        let body = try JSONSerialization.data(withJSONObject: ["clientId": clientId, "mutations": mutations])
        return PushBatch(clientId: clientId, firstMutationId: first, count: rows.count, body: body)
    }
}
