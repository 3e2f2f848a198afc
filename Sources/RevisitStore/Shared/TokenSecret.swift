import Crypto
import Foundation

/// Tokens are `rvt_<id>_<secret>`: the id finds the row, and only a SHA-256 of the 256-bit secret is stored and
/// compared in constant time, so neither a database dump nor response timing gives a token away.
enum TokenSecret {
    struct Generated {
        var id: String
        var token: String
        var hash: Data
    }

    static func generate() -> Generated {
        var rng = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        let secretBytes = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let secret = secretBytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return Generated(id: id, token: "rvt_\(id)_\(secret)", hash: Data(SHA256.hash(data: Data(secret.utf8))))
    }

    static func parse(_ token: String) -> (id: String, secret: String)? {
        let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "rvt", parts[1].count == 32, !parts[2].isEmpty else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    static func matches(_ secret: String, hash: Data) -> Bool {
        let computed = Data(SHA256.hash(data: Data(secret.utf8)))
        guard computed.count == hash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(computed, hash) { difference |= a ^ b }
        return difference == 0
    }

    static func isValidSlug(_ slug: String) -> Bool {
        !slug.isEmpty && slug.count <= 64
            && slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
