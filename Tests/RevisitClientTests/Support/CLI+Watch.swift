import Foundation

extension CLI.Running {
    /// Sends SIGINT, as Ctrl-C in a terminal does.
    func interrupt() { _ = Foundation.kill(process.processIdentifier, SIGINT) }

    /// What it has written to stdout so far.
    var stdoutSoFar: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }
    var stderrSoFar: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
}
