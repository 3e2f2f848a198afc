import ArgumentParser
import Foundation
import RevisitClient
import RevisitModel

/// `revisit login --server URL --token TOKEN`: checks the token against the server and keeps both in the store.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Check a device token against the server and keep it in the store (file mode 0600)."
    )

    @Option(help: ArgumentHelp("The server's base URL, e.g. http://127.0.0.1:8080.", valueName: "url"))
    var server: String

    @Option(help: ArgumentHelp("A device token (revisit-server token create --role device).", valueName: "token"))
    var token: String

    @Option(help: ArgumentHelp("The workshop's currency for --cost (default EUR).", valueName: "code"))
    var currency: String?

    @Option(help: ArgumentHelp("The mechanic's name, recorded on new inspections.", valueName: "name"))
    var mechanic: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw RevisitClientError(.invalidValue, "\(server) is not an http(s) URL like http://127.0.0.1:8080")
            }
            try await client.login(serverURL: url, token: token, currency: currency, mechanic: mechanic)
            let status = try await client.status()
            output.text("Logged in to \(url.absoluteString); store \(client.storePath).")
            output.text("Templates cached; costs are in \(status.currency). Run revisit sync to fetch inspections.")
            output.document(
                .object([
                    "server": .string(url.absoluteString), "store": .string(client.storePath),
                    "clientId": .string(status.clientId), "currency": .string(status.currency),
                ])
            )
        }
    }
}
