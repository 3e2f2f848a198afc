import Crypto
import Foundation

/// Webhook signatures per the Standard Webhooks specification (https://www.standardwebhooks.com, DESIGN section
/// 7), so a CRM can verify deliveries with any of the specification's official libraries.
///
/// Both ends live here: the delivery worker signs, and `crm-receiver` (and the tests) verify exactly as the
/// official libraries do, so a mismatch between the two shows up in this repository first.
public enum StandardWebhooks {
    /// The prefix of an endpoint secret; the rest is the base64 of the HMAC key.
    public static let secretPrefix = "whsec_"

    /// A secret that is not `whsec_` followed by non-empty base64.
    public struct MalformedSecret: Error, CustomStringConvertible {
        public var description: String { "a webhook secret is \"whsec_\" followed by the base64 of its key" }
    }

    /// The `webhook-signature` entry for one secret: `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body")), the
    /// key being the base64-decoded part after `whsec_` (a secret without the prefix is decoded whole, as the
    /// official libraries do).
    /// - Throws: ``MalformedSecret``.
    public static func signature(secret: String, id: String, timestamp: Int64, body: [UInt8]) throws -> String {
        let key = try keyBytes(secret)
        return "v1," + Data(mac(key: key, id: id, timestamp: String(timestamp), body: body)).base64EncodedString()
    }

    /// The whole `webhook-signature` header for a delivery signed with every one of `secrets`, space-separated:
    /// during a rotation both the new and the old secret sign, so receivers that have either accept it.
    /// - Throws: ``MalformedSecret``.
    public static func signatureHeader(secrets: [String], id: String, timestamp: Int64, body: [UInt8]) throws -> String
    {
        try secrets.map { try signature(secret: $0, id: id, timestamp: timestamp, body: body) }.joined(separator: " ")
    }

    /// Whether a delivery's headers prove it came from the holder of `secret`, as the official libraries decide:
    /// the timestamp is Unix seconds within `tolerance` of `now` (either side, against replays and clock games),
    /// and any one of the space-separated `v1,…` signatures matches (compared in constant time); entries of other
    /// versions are skipped. A malformed secret verifies nothing.
    public static func verify(
        secret: String,
        id: String,
        timestamp: String,
        signatureHeader: String,
        body: [UInt8],
        now: Date,
        tolerance: TimeInterval = 300
    ) -> Bool {
        guard let key = try? keyBytes(secret), let seconds = Int64(timestamp),
            abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance
        else { return false }
        let expected = mac(key: key, id: id, timestamp: String(seconds), body: body)
        var matched = false
        for entry in signatureHeader.split(separator: " ", omittingEmptySubsequences: true) {
            guard let comma = entry.firstIndex(of: ","), entry[..<comma] == "v1",
                let given = Data(base64Encoded: String(entry[entry.index(after: comma)...]))
            else { continue }
            // No early exit: every entry is compared, so timing does not tell which one matched.
            matched = constantTimeEqual(Array(given), expected) || matched
        }
        return matched
    }

    /// A new endpoint secret: `whsec_` + base64 of 32 random bytes from the system's secure generator.
    public static func generateSecret() -> String {
        let key = SymmetricKey(size: .bits256)
        return secretPrefix + key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    static func keyBytes(_ secret: String) throws -> [UInt8] {
        var encoded = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        // Some tools strip base64 padding; put it back rather than refuse the key.
        if encoded.count % 4 != 0 { encoded += String(repeating: "=", count: 4 - encoded.count % 4) }
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else { throw MalformedSecret() }
        return Array(key)
    }

    private static func mac(key: [UInt8], id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key))
        hmac.update(data: Array("\(id).\(timestamp).".utf8))
        hmac.update(data: body)
        return Array(hmac.finalize())
    }

    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
