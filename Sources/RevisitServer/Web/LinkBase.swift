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
    static func page(base: String, token: String) -> String { base + "/r/" + token }
}
