import Foundation
import Logging
import PostgresNIO

extension PostgresSyncStore {
    /// Every PostgreSQL writer's transaction: the tenant's row lock first (so versions and event positions are taken
    /// and committed in one order, DESIGN section 8), then `body`, which loads what its rule reads and settles it on
    /// the context, then the context's writes flushed with the tenant's counters (and the commit's notification).
    /// Once committed, a version that moved is told to this instance's waiters at once, without waiting for `LISTEN`
    /// to bring it back.
    func withTenantLock<T: Sendable>(
        tenantId: Int64,
        now: Date,
        _ body: @escaping @Sendable (PostgresTenantContext, PostgresConnection) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        let (result, committed) = try await transaction { connection in
            let context = try await PostgresTenantContext.lock(
                tenantId: tenantId,
                now: now,
                connection: connection,
                logger: logger
            )
            let result = try await body(context, connection)
            return (result, try await context.flush(connection: connection, logger: logger))
        }
        if let committed { commits.publish(committed) }
        return result
    }
}

extension PostgresTenantContext {
    /// ``settle(connection:logger:declared:_:)`` for a rule that stamps with the server's HLC: every run starts from
    /// the same reading, taken under the lock above the tenant's stored one, so a rerun stamps as the first run did;
    /// the kept run's highest stamp goes to the tenant's row and to the shared clock.
    func settleStamped<T>(
        hlc: ServerHLC,
        connection: PostgresConnection,
        logger: Logger,
        declared: Bool = false,
        _ rules: (PostgresTenantContext, PushStamps) throws -> (T, PushStamps)
    ) async throws -> T {
        let start = hlc.begin(stored: storedHLC)
        let (result, stamps) = try await settle(connection: connection, logger: logger, declared: declared) {
            try rules($0, start)
        }
        highestHLC = stamps.highest
        hlc.commit(stamps)
        return result
    }
}
