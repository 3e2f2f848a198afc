import ArgumentParser
import Foundation
import Logging
import RevisitServer
import RevisitStore

/// `revisit-server`: serve the API (the default) or manage tokens. Argument parsing and start-up only.
@main
struct RevisitServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisit-server",
        abstract: "The Revisit sync server for inspection tablets.",
        subcommands: [Serve.self, TokenCommand.self],
        defaultSubcommand: Serve.self
    )
}
