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
        let wall = Int64(Date().timeIntervalSince1970 * 1000)
        var mutations: [[String: Any]] = []
        mutations.reserveCapacity(rows.count)
        let first = nextMutationId
        for row in rows {
            mutations.append([
                "id": Int(nextMutationId), "entity": row.entity, "entityId": row.entityId, "op": "upsert",
                "baseVersion": 0, "hlc": ["wall": Int(wall), "counter": 0], "fields": row.fields,
            ])
            nextMutationId += 1
        }
        let body = try JSONSerialization.data(withJSONObject: ["clientId": clientId, "mutations": mutations])
        return PushBatch(clientId: clientId, firstMutationId: first, count: rows.count, body: body)
    }
}
