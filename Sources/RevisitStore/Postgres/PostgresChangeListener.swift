import Foundation
import Logging
import PostgresNIO

/// Hears the commits of every instance: each push's transaction ends with `pg_notify` (delivered on commit), and this
/// listens on one dedicated connection per instance, apart from the pool. When the connection is lost it connects
/// again with backoff, and each (re)connection is told as ``ChangeSignal/recheck``: a commit made while nobody
/// listened is then found by every waiter looking at its tenant's version again.
enum PostgresChangeListener {
    static let channel = "revisit_sync"
    /// The listener's `application_name`, by which an operator (or a test) finds its backend.
    static let applicationName = "revisit-listener"

    static func signals(options: PostgresOptions, logger: Logger) -> AsyncStream<ChangeSignal> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ChangeSignal.self,
            bufferingPolicy: .bufferingNewest(4096)
        )
        let task = Task {
            var configuration = options.clientConfiguration()
            configuration.options.maximumConnections = 1
            configuration.options.additionalStartupParameters = [("application_name", applicationName)]
            var quiet = logger
            quiet.logLevel = max(logger.logLevel, .critical)
            let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                var delay = Duration.milliseconds(100)
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in
                            try await connection.listen(on: channel) { notifications in
                                continuation.yield(.recheck)
                                for try await notification in notifications {
                                    if let signal = parse(notification.payload) { continuation.yield(signal) }
                                }
                            }
                        }
                        delay = .milliseconds(100)
                    } catch {
                        if Task.isCancelled { break }
                        logger.warning(
                            "the change listener lost PostgreSQL; connecting again",
                            metadata: ["retryIn": "\(delay)"]
                        )
                    }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(5))
                }
                group.cancelAll()
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// `TENANT:VERSION`.
    static func parse(_ payload: String) -> ChangeSignal? {
        let parts = payload.split(separator: ":")
        guard parts.count == 2, let tenant = Int64(parts[0]), let version = Int64(parts[1]) else { return nil }
        return .committed(tenantId: tenant, version: version)
    }
}

extension PostgresSyncStore {
    /// Every instance's commits by `LISTEN`, and this instance's own as they commit (each of those is heard twice;
    /// a second announce of a version changes nothing).
    public func changeSignals() -> AsyncStream<ChangeSignal> {
        let heard = PostgresChangeListener.signals(options: options, logger: logger)
        let own = commits.signals()
        let (stream, continuation) = AsyncStream.makeStream(
            of: ChangeSignal.self,
            bufferingPolicy: .bufferingNewest(4096)
        )
        let task = Task {
            await withDiscardingTaskGroup { group in
                for source in [heard, own] {
                    group.addTask { for await signal in source { continuation.yield(signal) } }
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    public func tenantStamp(tenantId: Int64) async throws -> TenantStamp {
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.tenantStamp(tenantId: tenantId, connection: connection, logger: logger)
        }
    }

    static func tenantStamp(tenantId: Int64, connection: PostgresConnection, logger: Logger) async throws -> TenantStamp
    {
        let rows = try await connection.rows(
            "SELECT version, settings FROM tenants WHERE id = \(tenantId)",
            logger: logger
        )
        guard let row = rows.first else { throw StoreError.notFound("tenant \(tenantId) does not exist") }
        let (version, text) = try row.decode((Int64, String?).self)
        return TenantStamp(version: version, settingsText: text)
    }

    public func currentVersion(tenantId: Int64) async throws -> Int64 {
        try await tenantStamp(tenantId: tenantId).version
    }
}
