import Foundation
import RevisitClient
import RevisitModel
import RevisitTestSupport

/// A client store in a temporary folder, logged in to a test server, with a scripted transport and quick retries.
struct ClientFixture {
    let client: RevisitClient
    let transport: ScriptedTransport
    let path: String
    let token: String

    /// Retries fast enough for tests, still through the real backoff code.
    static let quickRetries = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))

    static func make(
        on server: TestServer,
        tenant: String = "acme",
        path: String? = nil,
        retry: RetryPolicy = quickRetries,
        clock: any WallClock = SystemWallClock()
    ) async throws -> ClientFixture {
        let path = path ?? temporaryStorePath()
        let token = try await server.token(tenant, .device)
        let transport = ScriptedTransport()
        let client = try RevisitClient(storePath: path, transport: transport, clock: clock, retryPolicy: retry)
        try await client.login(serverURL: URL(string: server.baseURL)!, token: token)
        return ClientFixture(client: client, transport: transport, path: path, token: token)
    }

    /// The same store opened again, as after a restart (or a killed process).
    func reopened(retry: RetryPolicy = quickRetries) throws -> ClientFixture {
        let transport = ScriptedTransport()
        let client = try RevisitClient(storePath: path, transport: transport, retryPolicy: retry)
        return ClientFixture(client: client, transport: transport, path: path, token: token)
    }

    static func temporaryStorePath() -> String {
        FileManager.default.temporaryDirectory.appending(path: "revisit-client-\(UUID().uuidString)/store.sqlite").path
    }

    /// Starts an inspection of a car with a VIN and returns its id.
    func startInspection(plate: String = "AB-123-C", vin: String? = "WVWZZZ1JZXW000001") async throws -> String {
        try await client.startInspection(NewInspection(plate: plate, vin: vin, odometer: 84_210)).id.lowercasedString
    }
}

extension API {
    /// The server's view of an inspection's items, by code: each item's fields.
    func items(ofInspection id: String) async throws -> [String: [String: JSONValue]] {
        let answer = try await get("/v1/inspections/\(id)")
        guard answer.status == 200 else {
            throw TestFailure("GET inspection answered \(answer.status): \(answer.json)")
        }
        var items: [String: [String: JSONValue]] = [:]
        for item in answer["items"]?.arrayValue ?? [] {
            guard let object = item.objectValue, let code = object["code"]?.stringValue else { continue }
            items[code] = object
        }
        return items
    }
}
