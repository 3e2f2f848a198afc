import ArgumentParser
import Foundation
import RevisitServer
import RevisitStore

/// `revisit-server token create`: the first admin token of a workshop comes from here (the API needs one to make
/// more). The token is printed alone on the last line of stdout, so scripts can take it with `tail -1`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token (and the tenant, if new).")

        @Option(help: "The tenant's slug, e.g. acme (a-z, 0-9, -).") var tenant: String
        @Option(help: "admin, device or integration.") var role: String
        @Option(help: "A name to recognise the token by, e.g. tablet-3.") var name: String?
        @Option(help: "SQLite file, or a postgres:// URL (env REVISIT_DATABASE).") var database: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be admin, device or integration")
            }
            var configuration = ServerConfiguration()
            configuration.database =
                database ?? ProcessInfo.processInfo.environment["REVISIT_DATABASE"] ?? configuration.database
            let store = try await openStore(configuration)
            let (record, token) = try await store.createToken(tenantSlug: tenant, role: role, name: name)
            print("created \(role.rawValue) token \(record.id) for tenant \(record.tenantSlug)")
            print(token)
        }
    }
}
