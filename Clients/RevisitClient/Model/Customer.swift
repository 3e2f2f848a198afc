import Foundation

/// A customer as the local store shows it.
public struct Customer: Sendable, Hashable {
    /// The customer's id.
    public var id: UUID
    /// The server version last pulled; nil while the customer exists only locally.
    public var version: Int64?
    /// The customer's name.
    public var name: String?
    /// A phone number for follow-up calls.
    public var phone: String?
    /// An e-mail address.
    public var email: String?
    /// Whether the customer agreed to be contacted about follow-ups.
    public var contactConsent: Bool?
}
