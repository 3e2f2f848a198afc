import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for the offline cases: one nobody listens on, and one that accepts connections but never answers.
enum LoopbackSocket {
    /// A listening socket that never accepts: connections complete in the kernel's backlog and then hang, like a
    /// server that stopped answering. Returns the descriptor (close it when done) and the port.
    static func blackHole() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A loopback port that nobody listens on (it was free a moment ago).
    static func closedPort() throws -> Int {
        let (descriptor, port) = try blackHole()
        close(descriptor)
        return port
    }
}
