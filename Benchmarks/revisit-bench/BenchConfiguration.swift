/// Where the servers of a configuration keep their data.
enum DatabaseKind: String, Codable, Sendable, CaseIterable {
    case sqlite, postgres

    var title: String { self == .sqlite ? "SQLite" : "PostgreSQL" }
}

/// One column of the configurations table: a database, how many `revisit-server` processes share it, and how many
/// tenants the clients are spread over. Client `c` pushes and pulls as tenant `c % tenants` through instance
/// `c % instances`.
struct BenchConfiguration: Codable, Sendable, Hashable {
    let database: DatabaseKind
    let instances: Int
    let tenants: Int

    var label: String {
        "\(database.title), \(instances) instance\(instances == 1 ? "" : "s"), \(tenants) tenant\(tenants == 1 ? "" : "s")"
    }

    /// The configuration the targets are about: PostgreSQL, one instance, 8 tenants.
    var isTargetConfiguration: Bool { database == .postgres && instances == 1 && tenants == 8 }
}

/// The PostgreSQL server the configurations create their databases on.
struct PostgresTarget: Sendable {
    /// A URL of any database on that server, with credentials that may `CREATE DATABASE`.
    let url: String
    /// The cluster's postmaster, to count PostgreSQL's CPU (nil when its data folder is not known).
    let postmasterPid: Int32?

    /// The pid on the first line of `DATA/postmaster.pid`.
    static func postmaster(dataFolder: String) -> Int32? {
        guard let text = try? String(contentsOfFile: dataFolder + "/postmaster.pid", encoding: .utf8) else {
            return nil
        }
        return text.split(whereSeparator: \.isNewline).first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }
}
