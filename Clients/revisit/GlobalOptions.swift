import ArgumentParser
import Foundation

/// The options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The local store (a SQLite file; default $REVISIT_STORE, else ~/.revisit/store.sqlite).",
            valueName: "path"
        )
    )
    var store: String?

    @Flag(help: "Print machine-readable JSON instead of text.")
    var json = false

    /// The store path: the option, the environment, or the default in the home folder.
    var storePath: String {
        if let store, !store.isEmpty { return store }
        if let path = ProcessInfo.processInfo.environment["REVISIT_STORE"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.appending(path: ".revisit/store.sqlite").path
    }
}
