import ArgumentParser
import Foundation
import RevisitClient
import RevisitModel

/// `revisit review INSPECTION [--approve CODE…] [--defer CODE…] [--decline CODE…] --close`.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record the customer's decisions per item and close the inspection.",
        discussion: """
            Each of --approve, --defer and --decline takes one or more item codes (and may be repeated). \
            --close closes the inspection, which must be completed; closing makes the server create follow-ups \
            for deferred and declined work.
            """
    )

    @Argument(help: "The inspection's id (or a unique prefix).") var inspection: String
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Work the customer approves now.", valueName: "code"))
    var approve: [String] = []
    @Option(
        name: .customLong("defer"),
        parsing: .upToNextOption,
        help: ArgumentHelp("Work the customer defers (a follow-up).", valueName: "code")
    )
    var deferred: [String] = []
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Work the customer declines.", valueName: "code"))
    var decline: [String] = []
    @Flag(help: "Close the inspection.") var close = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let reviewed = try await client.review(
                inspection,
                ReviewDecisions(approve: approve, deferred: deferred, decline: decline, close: close)
            )
            let decided = approve.count + deferred.count + decline.count
            output.text(
                "Recorded \(decided) decision\(decided == 1 ? "" : "s"); inspection \(reviewed.id.lowercasedString) "
                    + "is \(reviewed.state.rawValue). Run revisit sync to send it."
            )
            output.document(JSONRendering.inspection(reviewed))
        }
    }
}
