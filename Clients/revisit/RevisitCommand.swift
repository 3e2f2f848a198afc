import ArgumentParser

/// The mechanics' command line: every command of DESIGN section 11 on top of `RevisitClient`. Every command works
/// offline except `login` and `sync`.
@main
struct RevisitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisit",
        abstract: "Record vehicle inspections offline and sync them with a Revisit server.",
        discussion: """
            The local store is --store PATH, else $REVISIT_STORE, else ~/.revisit/store.sqlite. Every command \
            works offline except login and sync; --json prints machine-readable output.

            Exit codes: 0 success; 1 a problem with the input or the local store (unknown inspection or item \
            code, invalid value, not logged in, a step the inspection cannot take); 2 the sync finished but the \
            server rejected changes (see revisit status); 3 the server cannot be reached (changes are kept); \
            4 the server refused the token; 5 the server refused the request; 64 command-line usage.
            """,
        subcommands: [
            LoginCommand.self, InspectCommand.self, ItemCommand.self, ReviewCommand.self, SyncCommand.self,
            StatusCommand.self, ConflictsCommand.self,
        ]
    )
}
