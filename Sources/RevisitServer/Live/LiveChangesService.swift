import Logging
import RevisitStore
import ServiceLifecycle

/// Feeds the store's commit signals (this process's commits; with PostgreSQL every instance's, heard by `LISTEN`)
/// to the ``ChangeBroadcaster``, for as long as the server runs; at shutdown it ends every wait.
struct LiveChangesService: Service {
    let store: any SyncStore
    let broadcaster: ChangeBroadcaster
    let logger: Logger

    func run() async throws {
        let signals = store.changeSignals()
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown {
                for await signal in signals {
                    switch signal {
                    case .committed(let tenant, let version): broadcaster.announce(tenant: tenant, version: version)
                    case .recheck: broadcaster.recheckAll()
                    }
                }
            }
        } onGracefulShutdown: {
            broadcaster.close()
        }
        broadcaster.close()
    }
}

/// Held polls and streams end when the server shuts down, not when their wait runs out: the HTTP server waits for
/// requests in progress before the services after it hear of the shutdown, so each held request listens for it too.
func endingAtShutdown<T: Sendable>(
    _ broadcaster: ChangeBroadcaster,
    _ operation: () async throws -> T
) async rethrows -> T {
    try await withGracefulShutdownHandler {
        try await operation()
    } onGracefulShutdown: {
        broadcaster.close()
    }
}
