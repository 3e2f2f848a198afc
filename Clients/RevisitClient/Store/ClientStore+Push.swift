import Foundation
import GRDB
import RevisitModel

extension ClientStore {
    /// Records a push answer in one transaction: applied mutations (and duplicates of applied ones) leave the
    /// queue, rejected ones (and duplicates of rejected ones) move to the rejected list with their problem, the
    /// conflicts are kept, and the HLC receive rule is applied to the server's clock. A mutation the answer does
    /// not mention stays queued.
    func recordPushAnswer(
        _ answer: PushAnswer,
        for batch: [QueuedMutation],
        physicalMillis: Int64,
        now: Date
    ) async throws -> PushTally {
        let byId = Dictionary(batch.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try await pool.write { db in
            var tally = PushTally()
            let delete = try db.cachedStatement(sql: "DELETE FROM mutations WHERE id = ?")
            for result in answer.results {
                guard let mutation = byId[result.id] else { continue }
                switch (result.status, result.original) {
                case (.applied, _):
                    tally.applied += 1
                case (.duplicate, .rejected):
                    tally.duplicates += 1
                    tally.rejected += 1
                    let problem =
                        result.error
                        ?? MutationProblem(
                            type: "rejected",
                            title: "Rejected earlier",
                            status: 422,
                            detail: "the server rejected this mutation when it first arrived"
                        )
                    try Self.keepRejected(mutation, problem: problem, now: now, db)
                case (.duplicate, _):
                    tally.duplicates += 1
                    tally.applied += 1
                case (.rejected, _):
                    tally.rejected += 1
                    let problem =
                        result.error
                        ?? MutationProblem(type: "rejected", title: "Rejected", status: 422, detail: "no reason given")
                    try Self.keepRejected(mutation, problem: problem, now: now, db)
                }
                try delete.execute(arguments: [result.id])
                for conflict in result.conflicts {
                    tally.conflicts += 1
                    try Self.save(conflict, db)
                }
            }
            try Self.receive(answer.hlc, physicalMillis: physicalMillis, db)
            return tally
        }
    }

    private static func keepRejected(
        _ mutation: QueuedMutation,
        problem: MutationProblem,
        now: Date,
        _ db: Database
    )
        throws
    {
        let encoded = String(decoding: try JSONEncoder().encode(problem), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO rejected_mutations (mutation_id, entity, entity_id, op, fields, problem, created_at,
                rejected_at) VALUES (?,?,?,?,?,?,?,?)
                """,
            arguments: [
                mutation.id, mutation.entity.rawValue, mutation.entityId, mutation.op,
                JSONValue.object(mutation.fields).jsonString, encoded,
                RFC3339DateTime.string(from: mutation.createdAt), RFC3339DateTime.string(from: now),
            ]
        )
    }
}
