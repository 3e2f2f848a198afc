import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address as its bytes: 4 or 16, an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as its 4.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        // A zone (fe80::1%eth0) names an interface, not part of the address.
        let unzoned = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, unzoned, &v6) == 1 else { return nil }
        let all = withUnsafeBytes(of: &v6) { Array($0) }
        bytes = all[0..<10].allSatisfy { $0 == 0 } && all[10] == 0xff && all[11] == 0xff ? Array(all[12...]) : all
    }

    var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}

/// A block of addresses written `10.0.0.0/8`, `2001:db8::/32`, or a single address (all bits).
struct CIDR: Sendable, Hashable {
    let network: IPAddress
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let network = IPAddress(first) else { return nil }
        let bits = network.bytes.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...bits).contains(prefix) else { return nil }
            self.prefix = prefix
        } else {
            prefix = bits
        }
        self.network = network
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefix
        for (mine, theirs) in zip(network.bytes, address.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if mine & mask != theirs & mask { return false }
            remaining -= 8
        }
        return true
    }
}

/// Whose `X-Forwarded-For` to believe (`--trusted-proxy`): the address a request is counted against, for the
/// wrong-token limit and the logs, is the connection's peer unless the peer is a trusted proxy; then it is the
/// nearest address in `X-Forwarded-For` that is not itself a trusted proxy (read from the right, since everything
/// left of the first untrusted hop could have been written by the client).
struct TrustedProxies: Sendable {
    let blocks: [CIDR]

    init(_ blocks: [CIDR] = []) { self.blocks = blocks }

    /// Parses `--trusted-proxy` values (each may hold several, comma-separated); the failure names the first one
    /// that is not a CIDR or an address.
    static func parse(_ texts: [String]) -> Result<TrustedProxies, InvalidCIDR> {
        var blocks: [CIDR] = []
        for text in texts.flatMap({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        where !text.isEmpty {
            guard let block = CIDR(text) else { return .failure(InvalidCIDR(text: text)) }
            blocks.append(block)
        }
        return .success(TrustedProxies(blocks))
    }

    struct InvalidCIDR: Error {
        let text: String
    }

    func isTrusted(_ address: IPAddress) -> Bool { blocks.contains { $0.contains(address) } }

    /// - Parameters:
    ///   - peer: the connection's remote address, as text.
    ///   - forwardedFor: every `X-Forwarded-For` value of the request, in order.
    func clientAddress(peer: String, forwardedFor: [String]) -> String {
        // Without trusted proxies (the default) the peer is the client: nothing to parse on each request.
        guard !blocks.isEmpty, let peerAddress = IPAddress(peer), isTrusted(peerAddress) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        var client = peer
        for hop in hops.reversed() where !hop.isEmpty {
            guard let address = IPAddress(hop) else { return hop }
            client = address.description
            if !isTrusted(address) { return client }
        }
        return client
    }
}
