import OpenAPIRuntime
import RevisitAPI

extension APIImplementation {
    func getHealth(_ input: Operations.getHealth.Input) async throws -> Operations.getHealth.Output {
        .ok(.init(body: .json(.init(status: "ok"))))
    }

    func getReady(_ input: Operations.getReady.Input) async throws -> Operations.getReady.Output {
        do {
            try await store.checkReady()
        } catch {
            throw APIProblem.unavailable("the database cannot be reached")
        }
        return .ok(.init(body: .json(.init(status: "ready"))))
    }

    func getMetrics(_ input: Operations.getMetrics.Input) async throws -> Operations.getMetrics.Output {
        .ok(.init(body: .plainText(HTTPBody(ServerMetrics.render()))))
    }
}
