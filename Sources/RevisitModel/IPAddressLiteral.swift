/// An IP address parsed from text, for ``WebhookAddressPolicy``: the policy must judge the address a connection
/// would really reach, so it reads every form a resolver accepts as a literal, not only the canonical ones.
enum IPAddressLiteral: Equatable {
    case v4([UInt8])
    case v6([UInt8])

    /// Parses an IPv4 literal in any form `inet_aton` accepts (`127.0.0.1`, `127.1`, `2130706433`, `0x7f.1`,
    /// `0177.0.0.1`), because `getaddrinfo` (and so an HTTP client) accepts them too; or an IPv6 literal
    /// (RFC 4291 text: `::` compression, an IPv4 tail, a `%zone` suffix ignored).
    init?(_ text: String) {
        if let bytes = Self.parseV4(text) {
            self = .v4(bytes)
        } else if let bytes = Self.parseV6(text) {
            self = .v6(bytes)
        } else {
            return nil
        }
    }

    static func parseV4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = number(part) else { return nil }
            values.append(value)
        }
        // The last part fills all the bytes the earlier ones leave.
        let leading = values.dropLast()
        guard leading.allSatisfy({ $0 <= 255 }), values.last! < (UInt64(1) << (8 * (5 - values.count))) else {
            return nil
        }
        var address = UInt32(0)
        for (index, value) in leading.enumerated() { address |= UInt32(value) << (24 - 8 * index) }
        address |= UInt32(values.last!)
        return [UInt8(address >> 24), UInt8(address >> 16 & 0xFF), UInt8(address >> 8 & 0xFF), UInt8(address & 0xFF)]
    }

    /// A decimal, octal (leading 0) or hexadecimal (0x) number, as `inet_aton` reads each part.
    private static func number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.count <= 12 else { return nil }
        let lower = part.lowercased()
        if lower.hasPrefix("0x") {
            return lower.count == 2 ? 0 : UInt64(lower.dropFirst(2), radix: 16)
        }
        if lower.count > 1, lower.hasPrefix("0") { return UInt64(lower.dropFirst(), radix: 8) }
        return UInt64(lower, radix: 10)
    }

    static func parseV6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        guard text.contains(":"), text.count <= 45 else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        guard let head = groups(halves[0], allowIPv4Tail: halves.count == 1) else { return nil }
        var bytes: [UInt8]
        if halves.count == 2 {
            guard let tail = groups(halves[1], allowIPv4Tail: true), head.count + tail.count <= 14 else { return nil }
            bytes = head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
        } else {
            bytes = head
        }
        return bytes.count == 16 ? bytes : nil
    }

    /// The bytes of colon-separated hex groups (and a final dotted IPv4 part where allowed); "" is no groups.
    private static func groups(_ text: String, allowIPv4Tail: Bool) -> [UInt8]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowIPv4Tail, part.contains(".") {
                // Only the strict dotted-quad form is valid inside IPv6 text.
                let quad = part.split(separator: ".", omittingEmptySubsequences: false)
                guard quad.count == 4 else { return nil }
                for octet in quad {
                    guard (1...3).contains(octet.count), octet.allSatisfy(\.isASCII), let value = UInt8(octet) else {
                        return nil
                    }
                    bytes.append(value)
                }
            } else {
                guard (1...4).contains(part.count), let value = UInt16(part, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
        }
        return bytes
    }
}
