import Foundation
import RevisitModel

/// Everything the server keeps, behind one protocol so that SQLite (the embedded default) and PostgreSQL (many
/// instances on one database) are interchangeable and run the same conformance tests. Every call is confined to
/// one tenant: a row of another tenant is simply not found.
public protocol SyncStore: FollowUpStore, WebhookStore, ReviewStore {
    /// Fails when the database cannot be reached; `/ready` answers from it.
    func checkReady() async throws

    // MARK: Tenants and tokens

    /// Creates a token (and the tenant, when the slug is new); returns its record and the secret, shown once.
    func createToken(tenantSlug: String, role: Role, name: String?) async throws -> (TokenRecord, String)
    /// Creates a token in an existing tenant.
    func createToken(tenantId: Int64, role: Role, name: String?) async throws -> (TokenRecord, String)
    /// The principal of a live token, or nil for an unknown, malformed or revoked one.
    func authenticate(token: String) async throws -> Principal?
    /// The tenant's tokens, oldest first.
    func tokens(tenantId: Int64, cursor: String?, limit: Int) async throws -> Page<TokenRecord>
    /// Revokes a token; false when the tenant has no such token.
    func revokeToken(tenantId: Int64, id: String) async throws -> Bool

    // MARK: Sync

    /// Commits as they happen (with PostgreSQL, on every instance), for pulls and streams that wait for changes.
    func changeSignals() -> AsyncStream<ChangeSignal>
    /// The tenant's current version, the cursor of a pull that has seen everything.
    func currentVersion(tenantId: Int64) async throws -> Int64
    /// The tenant's version and its settings as stored, in one read: what changes every page built from the
    /// tenant's rows and settings (a kept page is valid while both stay as they were).
    func tenantStamp(tenantId: Int64) async throws -> TenantStamp

    /// Applies a push in one transaction (DESIGN section 4); throws a `mutationGap` error, applying nothing, on a gap.
    func push(tenantId: Int64, clientId: String, mutations: [IncomingMutation]) async throws -> PushResult
    /// Changes after `since` in version order, each row once in its latest state.
    func pull(tenantId: Int64, since: String?, limit: Int) async throws -> PullPage
    /// Removes tombstones and kept mutation outcomes older than `before`; returns the number of tombstones removed.
    func purge(before: Date) async throws -> Int

    // MARK: Conflicts

    func conflicts(
        tenantId: Int64,
        resolved: Bool?,
        entityId: String?,
        cursor: String?,
        limit: Int
    )
        async throws -> Page<ConflictRecord>
    /// Ends a conflict with a person's choice: a write that has seen every open write of the field.
    func resolveConflict(tenantId: Int64, id: String, value: JSONValue) async throws -> ConflictRecord

    // MARK: Reads

    func inspection(tenantId: Int64, id: String) async throws -> InspectionDetail?
    func inspections(
        tenantId: Int64,
        vehicleId: String?,
        state: String?,
        cursor: String?,
        limit: Int
    )
        async throws -> Page<RowRecord>
    func vehicle(tenantId: Int64, id: String) async throws -> VehicleDetail?
    func vehicles(
        tenantId: Int64,
        plate: String?,
        vin: String?,
        cursor: String?,
        limit: Int
    )
        async throws -> Page<RowRecord>
    func customer(tenantId: Int64, id: String) async throws -> RowRecord?

    // MARK: Templates

    /// The latest version of every template the tenant can use, the built-in ones included.
    func templates(tenantId: Int64) async throws -> [Template]
    /// One template, at a given version or the latest.
    func template(tenantId: Int64, id: String, version: Int?) async throws -> Template?
    /// Stores version N+1 of a template.
    func putTemplate(tenantId: Int64, id: String, name: String, items: [TemplateItem]) async throws -> Template

    // MARK: Attachments

    func attachment(tenantId: Int64, sha256: String) async throws -> AttachmentRecord?
    /// Records that the tenant holds these bytes; false when it already did.
    func recordAttachment(tenantId: Int64, _ record: AttachmentRecord) async throws -> Bool
}
