import Foundation
import RevisitModel
import RevisitStore
import Testing

/// The commit signals held polls and streams wait on (DESIGN section 4). A held poll trusts the newest version
/// announced on its instance, so every write that moves a tenant's version must be announced by the instance that
/// made it, with no help from elsewhere (on PostgreSQL: without waiting for `LISTEN`).
extension StoreConformanceTests {
    @Test("a push announces its tenant's new version on the instance that made it", arguments: StoreBackend.all)
    func pushIsAnnounced(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, _ in
            let secret = try await store.createToken(tenantSlug: "acme", role: .device, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            var versions: [Int64] = []
            let signals = store.changeSignals()
            let listening = Task {
                var seen: [Int64] = []
                for await signal in signals {
                    guard case .committed(let tenant, let version) = signal, tenant == tenantId else { continue }
                    if !seen.contains(version) { seen.append(version) }
                    if seen.count == 2 { break }
                }
                return seen
            }
            for id in Int64(1)...2 {
                let result = try await store.push(tenantId: tenantId, clientId: "tab", mutations: [Self.customer(id)])
                versions.append(try #require(result.results.first?.version))
            }
            let timeout = Task {
                try await Task.sleep(for: .seconds(20))
                listening.cancel()
            }
            let heard = await listening.value
            timeout.cancel()
            #expect(heard == versions)
        }
    }
}
