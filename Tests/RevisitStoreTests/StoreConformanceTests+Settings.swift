import Foundation
import RevisitModel
import RevisitStore
import Testing

/// Tenant settings (DESIGN section 6) on every backend.
extension StoreConformanceTests {
    @Test(
        "settings start at the defaults, a patch changes only its keys, a bad one changes nothing, an unknown tenant is not found",
        arguments: StoreBackend.all
    )
    func settings(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, _ in
            let secret = try await store.createToken(tenantSlug: "acme", role: .admin, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            #expect(try await store.settings(tenantId: tenantId) == TenantSettings())
            // A tenant that has never stored settings gets the defaults patched.
            let patched = try await store.updateSettings(tenantId: tenantId, patch: ["leadTimeDays": 21])
            var expected = TenantSettings()
            expected.leadTimeDays = 21
            #expect(patched == expected)
            let zoned = try await store.updateSettings(tenantId: tenantId, patch: ["timeZone": "Europe/Amsterdam"])
            expected.timeZone = "Europe/Amsterdam"
            #expect(zoned == expected, "the earlier patch stays")
            #expect(try await store.settings(tenantId: tenantId) == expected)
            await #expect(throws: StoreError.validation("")) {
                try await store.updateSettings(tenantId: tenantId, patch: ["timeZone": "Mars/Olympus"])
            }
            #expect(try await store.settings(tenantId: tenantId) == expected)
            await #expect(throws: StoreError.notFound("")) {
                try await store.updateSettings(tenantId: tenantId + 1000, patch: ["leadTimeDays": 3])
            }
            await #expect(throws: StoreError.notFound("")) {
                try await store.settings(tenantId: tenantId + 1000)
            }
        }
    }

    @Test(
        "a tenant's stamp moves with its settings and with its rows, and with nothing else",
        arguments: StoreBackend.all
    )
    func tenantStamp(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, _ in
            let secret = try await store.createToken(tenantSlug: "acme", role: .admin, name: nil).1
            let tenantId = try #require(try await store.authenticate(token: secret)).tenantId
            let fresh = try await store.tenantStamp(tenantId: tenantId)
            #expect(try await store.tenantStamp(tenantId: tenantId) == fresh)
            _ = try await store.updateSettings(tenantId: tenantId, patch: ["workshopName": "Kept"])
            let named = try await store.tenantStamp(tenantId: tenantId)
            #expect(named != fresh && named.version == fresh.version)
            _ = try await store.push(tenantId: tenantId, clientId: "tab", mutations: [Self.customer(1)])
            let pushed = try await store.tenantStamp(tenantId: tenantId)
            #expect(pushed.version > named.version && pushed.settingsText == named.settingsText)
            await #expect(throws: StoreError.notFound("")) { try await store.tenantStamp(tenantId: tenantId + 1000) }
        }
    }
}
