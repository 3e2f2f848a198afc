import Foundation
import RevisitModel

/// One sync run (DESIGN section 4): upload photos, push the queue, pull until nothing is left, refresh templates and
/// conflicts. Each step leaves the store consistent on its own, so a sync that fails half-way (or a process that is
/// killed) loses nothing: the next run pushes what is still queued, and the server answers `duplicate` for what it
/// had already applied.
struct SyncEngine: Sendable {
    let store: ClientStore
    let api: ServerAPI
    let clientId: String
    let clock: any WallClock
    let retry: RetryPolicy
    let emit: @Sendable (SyncEvent) -> Void
    /// At most this many mutations per push (DESIGN: 500).
    var pushBatchSize = 500
    /// Changes per pull page (the server's maximum, so a first sync takes as few round trips as it can).
    var pullPageSize = 1000

    func run() async throws -> SyncSummary {
        var summary = SyncSummary()
        summary.uploaded = try await uploadAttachments()
        let tally = try await pushQueue()
        summary.applied = tally.applied
        summary.rejected = tally.rejected
        summary.duplicates = tally.duplicates
        summary.conflicts = tally.conflicts
        let pulled = try await pullAll()
        summary.pulled = pulled.rows
        summary.resynced = pulled.resynced
        try await refreshTemplates(usedBy: pulled.templates)
        try await store.replaceOpenConflicts(try await retrying { try await api.openConflicts() })
        summary.finishedAt = clock.now()
        summary.cursor = try store.state().cursor
        try store.markSynced(at: summary.finishedAt)
        return summary
    }

    /// Runs a request, retrying network errors, 5xx and 429 with exponential backoff and jitter.
    func retrying<Output: Sendable>(_ operation: () async throws -> Output) async throws -> Output {
        var attempt = 0
        while true {
            do {
                return try await operation()
            } catch let failure as ServerFailure where failure.isRetryable && attempt < retry.maxRetries {
                attempt += 1
                let delay = retry.delay(forRetry: attempt, retryAfter: failure.retryAfter)
                emit(.retrying(attempt: attempt, delay: delay, reason: failure.reason))
                try await Task.sleep(for: delay)
            }
        }
    }

    // MARK: Attachments

    /// Uploads kept photos the server lacks: HEAD first, PUT only when missing. A photo the server refuses for
    /// good (type, size, hash) is set aside rather than blocking every later sync: the item that lists it is then
    /// rejected `attachment-missing`, which the user sees.
    func uploadAttachments() async throws -> Int {
        let hashes = try await store.attachmentsToUpload()
        guard !hashes.isEmpty else { return 0 }
        var uploaded = 0
        emit(.uploading(done: 0, total: hashes.count))
        for (index, sha) in hashes.enumerated() {
            do {
                if try await !retrying({ try await api.hasAttachment(sha256: sha) }),
                    let attachment = try await store.attachment(sha256: sha)
                {
                    if try await retrying({ try await api.upload(attachment) }) { uploaded += 1 }
                }
                try await store.markUploaded(sha256: sha)
            } catch let failure as ServerFailure {
                switch failure {
                case .failed, .tooLarge: try await store.markRefused(sha256: sha)
                default: throw failure
                }
            }
            emit(.uploading(done: index + 1, total: hashes.count))
        }
        return uploaded
    }

    // MARK: Push

    /// Pushes the queue in id order, in batches; a gap renumbers the queue, a 413 halves the batch.
    func pushQueue() async throws -> PushTally {
        var tally = PushTally()
        var total = try await store.pendingCount()
        guard total > 0 else { return tally }
        var batchSize = pushBatchSize
        var sent = 0
        var gaps = 0
        emit(.pushing(done: 0, total: total))
        while true {
            let batch = try await store.pendingBatch(limit: batchSize)
            guard !batch.isEmpty else { break }
            let answer: PushAnswer
            do {
                answer = try await retrying { try await api.push(clientId: clientId, mutations: batch) }
            } catch ServerFailure.mutationGap(let expected) where gaps < 3 {
                gaps += 1
                try await store.renumberPending(from: expected)
                continue
            } catch ServerFailure.tooLarge where batchSize > 1 {
                batchSize = max(1, batchSize / 2)
                continue
            }
            let recorded = try await store.recordPushAnswer(
                answer,
                for: batch,
                physicalMillis: clock.nowMillis(),
                now: clock.now()
            )
            guard recorded.applied + recorded.rejected > 0 else {
                // Sending the same batch again would get the same answer.
                throw ServerFailure.failed(
                    status: 200,
                    problem: MutationProblem(
                        type: "bad-response",
                        title: "No results",
                        status: 200,
                        detail: "the server answered none of the \(batch.count) mutations pushed"
                    )
                )
            }
            tally.applied += recorded.applied
            tally.rejected += recorded.rejected
            tally.duplicates += recorded.duplicates
            tally.conflicts += recorded.conflicts
            sent += batch.count
            total = max(total, sent)  // edits made during the sync join the queue
            emit(.pushing(done: sent, total: total))
        }
        return tally
    }

    // MARK: Pull

    /// Pulls pages until `hasMore` is false, one local transaction per page, asking for the next page while the
    /// current one is written; on 410 drops the server rows and starts again from the beginning.
    func pullAll() async throws -> (rows: Int, resynced: Bool, templates: Set<TemplateVersion>) {
        let cursor = try store.state().cursor
        var rows = 0
        var templates: Set<TemplateVersion> = []
        var resyncs = 0
        emit(.pulling(received: 0))
        var next: Task<PullPage, any Error>? = fetch(after: cursor)
        defer { next?.cancel() }
        while let current = next {
            let page: PullPage
            do {
                page = try await withTaskCancellationHandler {
                    try await current.value
                } onCancel: {
                    current.cancel()
                }
            } catch ServerFailure.cursorExpired where resyncs < 3 {
                try await store.dropServerRows()
                rows = 0
                resyncs += 1
                emit(.resyncing)
                next = fetch(after: nil)
                continue
            }
            next = page.hasMore && !page.changes.isEmpty ? fetch(after: page.cursor) : nil
            templates.formUnion(page.changes.lazy.compactMap(TemplateVersion.init))
            rows += try await store.applyPullPage(
                page.changes,
                cursor: page.cursor,
                serverHLC: page.hlc,
                physicalMillis: clock.nowMillis()
            )
            emit(.pulling(received: rows))
        }
        return (rows, resyncs > 0, templates)
    }

    /// Starts fetching the page after `cursor` (with retries).
    private func fetch(after cursor: String?) -> Task<PullPage, any Error> {
        Task { try await retrying { try await api.pull(since: cursor, limit: pullPageSize) } }
    }

    // MARK: Templates

    /// Caches the latest templates and any older version that a pulled inspection uses.
    func refreshTemplates(usedBy used: Set<TemplateVersion>) async throws {
        try await store.saveTemplates(try await retrying { try await api.templates() })
        for missing in try await store.missingTemplateVersions(among: used) {
            if let template = try await retrying({ try await api.template(id: missing.id, version: missing.version) }) {
                try await store.saveTemplates([template])
            }
        }
    }
}
