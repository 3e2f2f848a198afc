/// Which webhook addresses the server may connect to (DESIGN section 7): a guard against server-side request
/// forgery, so that an admin of one tenant cannot make the server post to its own loopback, to the cloud's
/// metadata service (169.254.169.254) or into the private network it runs in.
///
/// Pure, so the endpoint API can refuse an IP literal when the endpoint is created (422) and the delivery worker
/// can check every address a host name resolves to at each attempt, with the same rules. `--allow-private-webhooks`
/// (a developer's receiver on loopback) turns the range check off.
public enum WebhookAddressPolicy {
    /// Whether `ip` is an address on the public internet; nil if it is not an IP literal at all (a host name).
    ///
    /// Refused: IPv4 0/8 (unspecified, "this network"), 10/8, 100.64/10 (carrier-grade NAT), 127/8, 169.254/16
    /// (link-local, cloud metadata), 172.16/12, 192.0.0/24, 192.0.2/24, 198.18/15, 198.51.100/24, 203.0.113/24
    /// (protocol assignments, documentation, benchmarking), 192.168/16, 224/4 (multicast), 240/4 (reserved, with
    /// the broadcast 255.255.255.255); IPv6 `::` and `::1`, fc00::/7 (unique local), fe80::/10 (link-local),
    /// fec0::/10 (old site-local), ff00::/8 (multicast), 100::/64 (discard), 2001:db8::/32 (documentation). IPv6
    /// forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`,
    /// 6to4 `2002::/16`) are judged by that IPv4 address. IPv4 is read in every form `inet_aton` accepts
    /// (`2130706433` is 127.0.0.1), since a resolver would connect there.
    public static func isPublic(_ ip: String) -> Bool? {
        switch IPAddressLiteral(ip) {
        case .v4(let bytes): isPublicV4(bytes)
        case .v6(let bytes): isPublicV6(bytes)
        case nil: nil
        }
    }

    /// Checks a webhook endpoint URL and says where a delivery connects.
    ///
    /// The URL must be `http` or `https` with a host; the port defaults to 80 or 443. A host that is an IP literal
    /// in a refused range (see ``isPublic(_:)``), and the names `localhost` and `*.localhost` (which resolve to
    /// loopback by definition), are refused unless `allowPrivate`. Other host names pass: their addresses are
    /// checked after resolution at every attempt.
    /// - Returns: the host (lower-cased, an IPv6 literal without brackets or zone), the port, and whether to use
    ///   TLS.
    /// - Throws: ``MutationProblem/validation(_:)`` naming `url`.
    public static func checkURL(_ url: String, allowPrivate: Bool) throws -> (host: String, port: Int, isTLS: Bool) {
        guard url.utf8.count <= 2048, !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
        else { throw MutationProblem.validation("url: expected an http or https URL without spaces") }
        guard let schemeEnd = url.range(of: "://") else {
            throw MutationProblem.validation(
                "url: expected an http or https URL, such as https://crm.example.com/hooks"
            )
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw MutationProblem.validation("url: the scheme must be http or https, not \(scheme)")
        }
        let rest = url[schemeEnd.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw MutationProblem.validation("url: an IPv6 host must be closed with ]")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw MutationProblem.validation("url: unexpected text after the host")
                }
                portText = after.dropFirst()
            }
            if let zone = host.firstIndex(of: "%") { host = host[..<zone] }
            guard IPAddressLiteral.parseV6(String(host)) != nil else {
                throw MutationProblem.validation("url: \(host) is not an IPv6 address")
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        let name = host.lowercased().trimmingSuffixDot()
        guard !name.isEmpty else { throw MutationProblem.validation("url: a host is required") }

        let port: Int
        if let portText, !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(portText),
                (1...65_535).contains(value)
            else { throw MutationProblem.validation("url: the port must be a number from 1 to 65535") }
            port = value
        } else {
            port = scheme == "https" ? 443 : 80
        }

        if !allowPrivate {
            if isPublic(name) == false || name == "localhost" || name.hasSuffix(".localhost") {
                throw MutationProblem.validation(
                    "url: \(name) is a loopback, private or link-local address; webhooks go to public addresses "
                        + "(a server started with --allow-private-webhooks accepts these)"
                )
            }
        }
        return (name, port, scheme == "https")
    }

    private static func isPublicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return false
        case (100, 64...127, _): return false
        case (169, 254, _): return false
        case (172, 16...31, _): return false
        case (192, 0, 0), (192, 0, 2), (192, 168, _): return false
        case (198, 18...19, _), (198, 51, 100), (203, 0, 113): return false
        case (224...255, _, _): return false
        default: return true
        }
    }

    private static func isPublicV6(_ b: [UInt8]) -> Bool {
        let firstTen = b[0..<10].allSatisfy { $0 == 0 }
        if firstTen, b[10] == 0xFF, b[11] == 0xFF { return isPublicV4(Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if firstTen, b[10] == 0, b[11] == 0 {
            // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d.
            if b[12..<15].allSatisfy({ $0 == 0 }), b[15] <= 1 { return false }
            return isPublicV4(Array(b[12..<16]))
        }
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B, b[4..<12].allSatisfy({ $0 == 0 }) {
            return isPublicV4(Array(b[12..<16]))  // NAT64 64:ff9b::/96
        }
        if b[0] == 0x20, b[1] == 0x02 { return isPublicV4(Array(b[2..<6])) }  // 6to4 2002::/16
        if b[0] & 0xFE == 0xFC { return false }  // fc00::/7
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 || b[1] & 0xC0 == 0xC0 { return false }  // fe80::/10, fec0::/10
        if b[0] == 0xFF { return false }  // multicast
        if b[0] == 0x01, b[1] == 0x00, b[2..<8].allSatisfy({ $0 == 0 }) { return false }  // 100::/64
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0D, b[3] == 0xB8 { return false }  // 2001:db8::/32
        if b.allSatisfy({ $0 == 0 }) { return false }
        return true
    }
}

extension String {
    /// The name without the one trailing dot a fully qualified name may have (`localhost.` is `localhost`).
    fileprivate func trimmingSuffixDot() -> String {
        hasSuffix(".") ? String(dropLast()) : self
    }
}
