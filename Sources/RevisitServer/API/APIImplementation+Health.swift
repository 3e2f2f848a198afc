import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore

extension APIImplementation {
    func getHealth(_ input: Operations.getHealth.Input) async throws -> Operations.getHealth.Output {
        .ok(.init(body: .json(.init(status: "ok"))))
    }

    func getReady(_ input: Operations.getReady.Input) async throws -> Operations.getReady.Output {
        do {
            try await store.checkReady()
        } catch {
            // Answered as any outage: 503 with the fixed detail, the check's own failure logged as the cause.
            throw StoreError.unavailable("readiness check failed: \(String(reflecting: error))")
        }
        return .ok(.init(body: .json(.init(status: "ready"))))
    }

    func getMetrics(_ input: Operations.getMetrics.Input) async throws -> Operations.getMetrics.Output {
        // Gauges that are cheap to read on a scrape and would cost a query per tick if kept up to date.
        if let counts = try? await store.followupCounts() {
            for state in FollowUpState.allCases {
                ServerMetrics.followups(state.rawValue).record(counts[state.rawValue] ?? 0)
            }
        }
        if let lag = try? await store.outboxLag(now: configuration.clock.now()) { ServerMetrics.outboxLag.record(lag) }
        return .ok(.init(body: .plainText(HTTPBody(ServerMetrics.render()))))
    }
}
