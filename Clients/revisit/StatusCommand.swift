import ArgumentParser
import Foundation
import RevisitClient
import RevisitModel

/// `revisit status`: what is waiting, what was rejected, when the store last synced.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show pending and rejected changes and the last sync.",
        discussion: "Rejected changes are listed with the server's reason; --discard-rejected forgets them."
    )

    @Flag(name: .customLong("discard-rejected"), help: "Forget the rejected changes after dealing with them.")
    var discardRejected = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let rejected = try await client.rejectedMutations()
            if discardRejected { try await client.discardRejected() }
            let status = try await client.status()
            output.text("Server:     \(status.serverURL?.absoluteString ?? "none (run revisit login)")")
            output.text("Store:      \(client.storePath)")
            output.text(
                "Pending:    \(status.pending) change\(status.pending == 1 ? "" : "s")"
                    + (status.pendingAttachments > 0 ? ", \(status.pendingAttachments) photo(s) to upload" : "")
            )
            output.text("Rejected:   \(rejected.count)\(discardRejected && !rejected.isEmpty ? " (discarded)" : "")")
            output.text("Conflicts:  \(status.openConflicts) open")
            output.text("Last sync:  \(TextRendering.date(status.lastSync))")
            for item in rejected {
                output.text(
                    "  rejected #\(item.mutationId) \(item.entity) \(item.entityId): \(item.problem.type): "
                        + item.problem.detail
                )
            }
            output.document(
                .object([
                    "pending": .int(Int64(status.pending)), "rejected": .int(Int64(status.rejected)),
                    "lastSync": JSONRendering.date(status.lastSync),
                    "server": JSONRendering.optional(status.serverURL?.absoluteString),
                    "store": .string(client.storePath), "clientId": .string(status.clientId),
                    "conflicts": .int(Int64(status.openConflicts)),
                    "pendingPhotos": .int(Int64(status.pendingAttachments)), "currency": .string(status.currency),
                    "rejectedMutations": .array(rejected.map(JSONRendering.rejected)),
                ])
            )
        }
    }
}

/// `revisit conflicts`: the open conflicts as of the last sync.
struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List open conflicts (as of the last sync).",
        discussion: """
            A conflict is two writes to one field that did not see each other; the winner is the field's \
            value under its rule. Setting the field again (revisit item set) after a sync ends it.
            """
    )
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let conflicts = try await client.conflicts()
            var table = Table(headers: ["WHAT", "FIELD", "RULE", "WINNER", "WRITES"])
            for conflict in conflicts {
                let what =
                    conflict.itemCode.map { "item \($0) of \(conflict.inspectionId ?? "?")" }
                    ?? "\(conflict.entity) \(conflict.entityId)"
                table.rows.append([
                    what, conflict.field, conflict.rule, conflict.winner.jsonString,
                    conflict.writes.map(\.value.jsonString).joined(separator: " | "),
                ])
            }
            output.text(conflicts.isEmpty ? "No open conflicts." : table.render())
            output.document(.array(conflicts.map(JSONRendering.conflict)))
        }
    }
}
