import Foundation
import RevisitModel

#if canImport(Glibc)
import Glibc
#endif

/// Where a delivery connects: the URL's host resolved and every address checked against the private-address
/// policy at each attempt; for plain HTTP the request goes to the checked address itself (with the original
/// `Host`), so a second lookup cannot send it elsewhere. For HTTPS the certificate needs the name, so the
/// connection uses it (the window between check and connect is the resolver's cache).
struct WebhookTarget {
    var connectURL: String
    var hostHeader: String?

    static func resolve(_ url: String, allowPrivate: Bool) async throws -> WebhookTarget {
        let (host, port, isTLS) = try WebhookAddressPolicy.checkURL(url, allowPrivate: allowPrivate)
        if WebhookAddressPolicy.isPublic(host) != nil || allowPrivate {
            return WebhookTarget(connectURL: url, hostHeader: nil)
        }
        let addresses = try await lookup(host)
        guard let first = addresses.first else { throw MutationProblem.validation("\(host) does not resolve") }
        for address in addresses where WebhookAddressPolicy.isPublic(address) != true {
            throw MutationProblem.validation("\(host) resolves to \(address), a private or loopback address")
        }
        if isTLS { return WebhookTarget(connectURL: url, hostHeader: nil) }
        guard var components = URLComponents(string: url) else { throw MutationProblem.validation("bad URL") }
        components.host = first.contains(":") ? "[\(first)]" : first
        return WebhookTarget(connectURL: components.string ?? url, hostHeader: port == 80 ? host : "\(host):\(port)")
    }

    static func lookup(_ host: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &result) == 0 else {
                    continuation.resume(throwing: MutationProblem.validation("\(host) does not resolve"))
                    return
                }
                defer { freeaddrinfo(result) }
                var addresses: [String] = []
                var cursor = result
                while let info = cursor {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(
                        info.pointee.ai_addr,
                        info.pointee.ai_addrlen,
                        &buffer,
                        socklen_t(buffer.count),
                        nil,
                        0,
                        NI_NUMERICHOST
                    ) == 0 {
                        addresses.append(String(cString: buffer))
                    }
                    cursor = info.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }
}
