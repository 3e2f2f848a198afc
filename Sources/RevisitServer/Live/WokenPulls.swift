import Foundation
import RevisitStore
import Synchronization

/// One commit wakes every held poll of its tenant at once, and nearly all of them ask for the same page (the same
/// cursor, the same limit). Without this, a tenant with 500 tablets waiting turned each push into 500 identical
/// queries, and on PostgreSQL the next push waited behind them. A woken poll joins a pull already in flight for the
/// same page only if that pull began after the commit that woke it was announced (`atLeast`), so it never answers
/// from a snapshot older than its wake-up. Plain pulls never join: they must read their own writes, whichever
/// instance made them.
final class WokenPulls: Sendable {
    private struct Key: Hashable {
        let tenant: Int64
        let since: String?
        let limit: Int
    }

    private struct Flight {
        let id: UInt64
        /// The tenant's version announced when the query began: its snapshot holds at least that.
        let covers: Int64
        let task: Task<PullPage, any Error>
    }

    private struct State {
        var flights: [Key: Flight] = [:]
        var nextId: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The page for a poll woken by version `atLeast`, shared with the other polls woken for the same page.
    func page(
        tenant: Int64,
        since: String?,
        limit: Int,
        atLeast: Int64,
        load: @escaping @Sendable () async throws -> PullPage
    ) async throws -> PullPage {
        let key = Key(tenant: tenant, since: since, limit: limit)
        let flight = state.withLock { state -> Flight in
            if let flight = state.flights[key], flight.covers >= atLeast { return flight }
            state.nextId += 1
            let flight = Flight(id: state.nextId, covers: atLeast, task: Task { try await load() })
            state.flights[key] = flight
            return flight
        }
        defer {
            state.withLock { state in
                if state.flights[key]?.id == flight.id { state.flights.removeValue(forKey: key) }
            }
        }
        return try await flight.task.value
    }
}
