/// How a tenant's follow-ups are handed to the CRM (DESIGN section 6, tenant settings).
public enum ReleaseMode: String, Sendable, Codable, CaseIterable {
    /// Each follow-up on its own day: its due date less the lead time.
    case continuous
    /// In one batch a month, on `releaseDay`: every follow-up due in the next calendar month, for CRMs that plan
    /// their calling campaigns monthly.
    case monthly
}
