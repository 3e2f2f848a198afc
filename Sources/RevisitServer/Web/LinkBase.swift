import Foundation
import Synchronization

/// The base of the links the server hands out: `--public-url` when set; otherwise the address it listens on, which
/// is known only once the port is bound (`--port 0`), hence settable once the server runs.
final class LinkBase: Sendable {
    private let value: Mutex<String>
    let isFixed: Bool

    init(_ base: String, fixed: Bool = false) {
        value = Mutex(base)
        isFixed = fixed
    }

    var current: String { value.withLock { $0 } }

    /// The listening address, unless a public URL was given.
    func listening(scheme: String, host: String, port: Int) {
        guard !isFixed else { return }
        let shown = host.contains(":") ? "[\(host)]" : (host == "0.0.0.0" ? "127.0.0.1" : host)
        value.withLock { $0 = "\(scheme)://\(shown):\(port)" }
    }
}

/// The paths of the customer's review page (DESIGN section 13, Contract).
enum ReviewPaths {
    static let prefix = "/r/"

    static func page(base: String, token: String) -> String { base + prefix + token }

    /// `target` (a request's path and query) with a review link's token hidden: the token is the key to the
    /// customer's page, so it must not reach the server's logs. Every other path is as it came.
    static func redacted(_ target: String) -> String {
        guard target.hasPrefix(prefix) else { return target }
        let rest = target.dropFirst(prefix.count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        return prefix + "…" + rest[end...]
    }
}
