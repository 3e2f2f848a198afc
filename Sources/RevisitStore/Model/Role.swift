/// What a token may do (DESIGN section 9).
public enum Role: String, Sendable, CaseIterable, Codable {
    case admin, device, integration
}

/// The authenticated caller of a request: the tenant every read and write is confined to, and the role that decides
/// what it may do.
public struct Principal: Sendable, Hashable {
    public var tenantId: Int64
    public var tenantSlug: String
    public var role: Role
    public var tokenId: String

    public init(tenantId: Int64, tenantSlug: String, role: Role, tokenId: String) {
        self.tenantId = tenantId
        self.tenantSlug = tenantSlug
        self.role = role
        self.tokenId = tokenId
    }
}
