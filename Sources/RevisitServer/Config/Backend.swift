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

    /// Opens the store: a SQLite path (its folder is created) or a PostgreSQL URL, which must answer within
    /// `databaseConnectTimeout`; migrates it; and picks where attachment bytes go.
    public static func open(
        _ configuration: ServerConfiguration,
        hlc: ServerHLC? = nil,
        logger: Logger = Logger(label: "revisit")
    ) async throws -> Backend {
        let hlc = hlc ?? ServerHLC(clock: configuration.clock)
        let dataDir = URL(filePath: configuration.dataDir)
        guard configuration.usesPostgres else {
            if configuration.attachments == .database {
                throw ConfigurationError("--attachments database needs a PostgreSQL --database; SQLite keeps files")
            }
            let url = URL(filePath: configuration.database)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            let store = try SQLiteSyncStore(path: configuration.database, clock: configuration.clock, hlc: hlc)
            let blobs = try FileAttachmentBlobs(root: dataDir.appending(path: "attachments"))
            return Backend(store: store, attachments: blobs, close: {})
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
        let store: PostgresSyncStore
        do {
            store = try await PostgresSyncStore.connect(
                options: options,
                clock: configuration.clock,
                hlc: hlc,
                logger: logger
            )
        } catch let error as StoreError {
            throw ConfigurationError(error.detail)
        }
        let blobs: any AttachmentBlobs =
            switch configuration.attachments ?? .database {
            case .database:
                try PostgresAttachmentBlobs(store: store, temporaryFolder: dataDir.appending(path: "upload-tmp"))
            case .files: try FileAttachmentBlobs(root: dataDir.appending(path: "attachments"))
            }
        return Backend(store: store, attachments: blobs, close: { store.close() })
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
    try await Backend.open(configuration, hlc: hlc).store
}
