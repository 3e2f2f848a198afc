import Foundation
import Logging
import RevisitModel
import RevisitStore
import ServiceLifecycle

/// The store and the attachment bytes `--database` and `--attachments` choose, opened once at start. As a service it
/// holds the PostgreSQL pool open until the server shuts down.
public struct Backend: Service {
    public let store: any SyncStore
    public let attachments: any AttachmentBlobs
    private let close: @Sendable () -> Void

    /// Opens the store and picks where attachment bytes go.
    public static func open(
        _ configuration: ServerConfiguration,
        hlc: ServerHLC? = nil,
        logger: Logger = Logger(label: "revisit")
    ) async throws -> Backend {
        let store = try await openStore(configuration, hlc: hlc, logger: logger)
        let dataDir = URL(filePath: configuration.dataDir)
        switch (store as? PostgresSyncStore, configuration.attachments) {
        case (let postgres?, nil), (let postgres?, .database?):
            let blobs = try PostgresAttachmentBlobs(
                store: postgres,
                temporaryFolder: dataDir.appending(path: "upload-tmp")
            )
            return Backend(store: postgres, attachments: blobs, close: { postgres.close() })
        case (let postgres?, .files?):
            let blobs = try FileAttachmentBlobs(root: dataDir.appending(path: "attachments"))
            return Backend(store: postgres, attachments: blobs, close: { postgres.close() })
        case (nil, _):
            let blobs = try FileAttachmentBlobs(root: dataDir.appending(path: "attachments"))
            return Backend(store: store, attachments: blobs, close: {})
        }
    }

    /// Opens the store alone: a SQLite path (its folder is created) or a PostgreSQL URL, which must answer within
    /// `databaseConnectTimeout`; migrates it.
    static func openStore(
        _ configuration: ServerConfiguration,
        hlc: ServerHLC?,
        logger: Logger
    ) async throws -> any SyncStore {
        let hlc = hlc ?? ServerHLC(clock: configuration.clock)
        guard configuration.usesPostgres else {
            if configuration.attachments == .database {
                throw ConfigurationError("--attachments database needs a PostgreSQL --database; SQLite keeps files")
            }
            let url = URL(filePath: configuration.database)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            return try SQLiteSyncStore(path: configuration.database, clock: configuration.clock, hlc: hlc)
        }
        var options: PostgresOptions
        do {
            options = try PostgresOptions(url: configuration.database)
        } catch let error as StoreError {
            throw ConfigurationError(error.detail)
        }
        options.poolSize = configuration.databasePoolSize
        options.statementTimeout = configuration.statementTimeout
        options.connectTimeout = configuration.databaseConnectTimeout
        options.requestTimeout = configuration.databaseRequestTimeout
        do {
            return try await PostgresSyncStore.connect(
                options: options,
                clock: configuration.clock,
                hlc: hlc,
                logger: logger
            )
        } catch let error as StoreError {
            // Printed to the operator who started the server, so the database's own words belong here.
            throw ConfigurationError(error.logDetail ?? error.detail)
        }
    }

    private init(store: any SyncStore, attachments: any AttachmentBlobs, close: @escaping @Sendable () -> Void) {
        self.store = store
        self.attachments = attachments
        self.close = close
    }

    /// Waits for shutdown, then closes the pool; the first service listed, so the last to stop.
    public func run() async throws {
        try? await gracefulShutdown()
        close()
    }
}

/// Opens the store `--database` names, for commands that need no attachments (`token create`).
public func openStore(_ configuration: ServerConfiguration, hlc: ServerHLC? = nil) async throws -> any SyncStore {
    try await Backend.openStore(configuration, hlc: hlc, logger: Logger(label: "revisit"))
}
