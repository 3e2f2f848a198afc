import Foundation

/// Checks push answers: every mutation must come back `applied` (the benchmark must not silently measure rejected
/// work). Counts what did not, keeps a few examples, and tracks the highest version handed out.
struct PushLedger: Sendable {
    private(set) var applied = 0
    private(set) var rejected = 0
    private(set) var duplicates = 0
    private(set) var maxVersion: Int64 = 0
    private(set) var examples: [String] = []

    /// Records one push's answer; throws on anything but a 200 that answers every mutation of the batch.
    mutating func record(_ batch: PushBatch, _ exchange: HTTPExchange) throws {
        guard exchange.status == 200 else {
            throw BenchError.http(
                what: "push of mutations \(batch.firstMutationId)… (client \(batch.clientId))",
                status: exchange.status,
                body: exchange.bodyPreview
            )
        }
        let reply: SyncReplies.Push
        do {
            reply = try JSONDecoder().decode(SyncReplies.Push.self, from: exchange.body)
        } catch {
            throw BenchError.badReply(what: "push answer", detail: "\(error); body: \(exchange.bodyPreview)")
        }
        guard reply.results.count == batch.count else {
            throw BenchError.badReply(
                what: "push answer",
                detail: "\(reply.results.count) results for \(batch.count) mutations"
            )
        }
        for result in reply.results {
            switch result.status {
            case "applied":
                applied += 1
                maxVersion = max(maxVersion, result.version ?? 0)
            case "duplicate":
                duplicates += 1
                note(result)
            default:
                rejected += 1
                note(result)
            }
        }
    }

    private mutating func note(_ result: SyncReplies.Push.Result) {
        guard examples.count < 5 else { return }
        let problem = result.error.map { "\($0.type ?? "?"): \($0.detail ?? $0.title ?? "")" } ?? "no error given"
        examples.append("mutation \(result.id) \(result.status): \(problem)")
    }
}

extension PushLedger {
    /// Adds another ledger's counts (one per concurrent client).
    mutating func merge(_ other: PushLedger) {
        applied += other.applied
        rejected += other.rejected
        duplicates += other.duplicates
        maxVersion = max(maxVersion, other.maxVersion)
        examples.append(contentsOf: other.examples.prefix(max(0, 5 - examples.count)))
    }
}
