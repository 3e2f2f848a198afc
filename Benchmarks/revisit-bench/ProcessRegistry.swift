import Dispatch
import Foundation

/// The servers this run started, so that Ctrl-C (SIGINT) or SIGTERM stops them (and removes the temporary work
/// folder) instead of leaving them behind.
final class ProcessRegistry: @unchecked Sendable {
    static let shared = ProcessRegistry()

    private let lock = NSLock()
    private var pids: Set<Int32> = []
    private var cleanupPath: String?
    private var sources: [any DispatchSourceSignal] = []
    private var interruptedBy: Int32?

    /// The signal that interrupted the run, if one did (requests then fail because the servers are gone).
    var interruption: Int32? {
        lock.withLock { interruptedBy }
    }

    func add(_ pid: Int32) {
        lock.withLock { _ = pids.insert(pid) }
    }

    func remove(_ pid: Int32) {
        lock.withLock { _ = pids.remove(pid) }
    }

    /// On SIGINT or SIGTERM: SIGTERM every registered server, remove `removing` (if any), exit.
    func installSignalHandlers(removing path: String?) {
        lock.withLock {
            cleanupPath = path
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in
                    interrupted(signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    private func interrupted(_ signalNumber: Int32) {
        let (running, path) = lock.withLock {
            interruptedBy = signalNumber
            return (pids, cleanupPath)
        }
        FileHandle.standardError.write(Data("\nrevisit-bench: interrupted, stopping \(running.count) server(s)\n".utf8))
        for pid in running { kill(pid, SIGTERM) }
        for _ in 0..<100 where running.contains(where: { kill($0, 0) == 0 }) { usleep(100_000) }
        for pid in running where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        if let path { try? FileManager.default.removeItem(atPath: path) }
        exit(128 + signalNumber)
    }
}
