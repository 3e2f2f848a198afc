import Foundation
import RevisitModel
import RevisitStore
import Testing

/// Tokens beyond the basic life cycle of ``StoreConformanceTests/tokens(_:)``: more tokens in one tenant, paging,
/// a second revoke, an unknown tenant.
extension StoreConformanceTests {
    @Test(
        "a tenant's tokens page oldest first; a token in an unknown tenant is not found; revoking twice keeps the first time",
        arguments: StoreBackend.all
    )
    func tokensInATenant(_ backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store, clock in
            let (admin, adminSecret) = try await store.createToken(tenantSlug: "acme", role: .admin, name: "desk")
            let tenantId = try #require(try await store.authenticate(token: adminSecret)).tenantId
            let (device, deviceSecret) = try await store.createToken(tenantId: tenantId, role: .device, name: nil)
            let (crm, crmSecret) = try await store.createToken(tenantSlug: "ACME", role: .integration, name: "crm")
            #expect(device.tenantSlug == "acme" && crm.tenantSlug == "acme", "the slug names the same tenant")
            let principal = try #require(try await store.authenticate(token: crmSecret))
            #expect(principal.tenantId == tenantId && principal.role == .integration && principal.tokenId == crm.id)
            #expect(try await store.authenticate(token: deviceSecret)?.role == .device)

            let first = try await store.tokens(tenantId: tenantId, cursor: nil, limit: 2)
            #expect(first.items.map(\.id) == [admin.id, device.id])
            let rest = try await store.tokens(tenantId: tenantId, cursor: try #require(first.nextCursor), limit: 2)
            #expect(rest.items.map(\.id) == [crm.id] && rest.nextCursor == nil)
            await #expect(throws: StoreError.malformed("")) {
                try await store.tokens(tenantId: tenantId, cursor: "not a cursor", limit: 2)
            }

            #expect(try await store.revokeToken(tenantId: tenantId, id: device.id))
            let revokedAt = try #require(
                try await store.tokens(tenantId: tenantId, cursor: nil, limit: 10).items.first { $0.id == device.id }?
                    .revokedAt
            )
            clock.advance(by: 60)
            #expect(try await store.revokeToken(tenantId: tenantId, id: device.id), "the token exists, revoked")
            let after = try await store.tokens(tenantId: tenantId, cursor: nil, limit: 10).items
            #expect(after.first { $0.id == device.id }?.revokedAt == revokedAt)
            #expect(after.filter { $0.revokedAt == nil }.map(\.id) == [admin.id, crm.id])
            #expect(try await store.authenticate(token: deviceSecret) == nil)
            #expect(try await store.authenticate(token: adminSecret) != nil, "other tokens still work")

            await #expect(throws: StoreError.notFound("")) {
                try await store.createToken(tenantId: tenantId + 1000, role: .device, name: nil)
            }
        }
    }
}
