import ArgumentParser
import Foundation
import RevisitClient
import RevisitModel

/// `revisit sync`: uploads photos, pushes pending changes, pulls what changed, with a progress bar; with `--watch`,
/// keeps doing so as changes arrive until interrupted.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Send pending changes to the server and fetch what changed.",
        discussion: """
            When the server cannot be reached (after a few retries with backoff) sync exits with 3 and keeps \
            every pending change for the next try. Changes the server rejects are kept and listed (exit 2).

            With --watch it keeps the store in sync until Ctrl-C (exit 0): one line per change as it arrives \
            (--json: one JSON object per line), local changes sent within seconds; while the server is away it \
            retries with backoff. It stops with an error only when the server refuses the token (exit 4).
            """
    )

    @Option(help: "Retries of a failed request (network error, 5xx, 429) before giving up.") var retries = 4
    @Flag(help: "Keep syncing as changes arrive, until interrupted (Ctrl-C).") var watch = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global, retryPolicy: RetryPolicy(maxRetries: max(0, retries))) { client, output in
            if watch { return try await SyncWatch.run(client, output) }
            let before = try await client.rejectedMutations().count
            let progress = ProgressBar(enabled: !global.json)
            let summary: SyncSummary
            do {
                summary = try await client.syncNow { progress.show($0) }
                progress.finish()
            } catch {
                progress.finish()
                throw error
            }
            output.text(
                "Synced: \(summary.applied) change\(summary.applied == 1 ? "" : "s") sent, \(summary.rejected) rejected, "
                    + "\(summary.pulled) row\(summary.pulled == 1 ? "" : "s") received"
                    + (summary.uploaded > 0 ? ", \(summary.uploaded) photo(s) uploaded" : "")
                    + (summary.resynced ? " (the server asked for a full resync)" : "") + "."
            )
            if summary.conflicts > 0 {
                output.text("\(summary.conflicts) conflict(s) recorded: see revisit conflicts.")
            }
            output.document(JSONRendering.sync(summary))
            let rejected = try await client.rejectedMutations()
            guard rejected.count > before else { return }
            for item in rejected.dropFirst(before) {
                output.note(
                    "revisit: rejected #\(item.mutationId) \(item.entity) \(item.entityId): \(item.problem.type): "
                        + item.problem.detail
                )
            }
            output.note("revisit: \(rejected.count - before) change(s) rejected; they are kept (revisit status).")
            throw ExitCode(CLIExit.rejected)
        }
    }
}
