import Foundation
import RevisitModel

/// Who signed the review on the customer's page, and when (DESIGN section 13): what the advisor points to when the
/// customer later asks why the work was (not) done.
public struct CustomerReview: Sendable, Hashable {
    public var signedName: String
    /// RFC 3339.
    public var signedAt: String
    /// The review link it was signed through.
    public var linkId: String
    /// Whether the customer agreed to be contacted about deferred work.
    public var contactConsent: Bool?

    init?(json: JSONValue?) {
        guard let object = json?.objectValue, let name = object["signedName"]?.stringValue,
            let at = object["signedAt"]?.stringValue
        else { return nil }
        signedName = name
        signedAt = at
        linkId = object["linkId"]?.stringValue ?? ""
        contactConsent = object["contactConsent"]?.boolValue
    }
}
