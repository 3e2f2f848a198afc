import Foundation
import RevisitClient
import Synchronization

/// Draws sync progress on stderr: a redrawn bar on a terminal, one line per phase otherwise (logs and tests).
final class ProgressBar: Sendable {
    private let enabled: Bool
    private let terminal: Bool
    private let state = Mutex<(phase: String, drawn: Bool)>(("", false))

    init(enabled: Bool) {
        self.enabled = enabled
        terminal = isatty(STDERR_FILENO) == 1
    }

    func show(_ event: SyncEvent) {
        guard enabled else { return }
        switch event {
        case .uploading(let done, let total): draw(phase: "Uploading photos", done: done, total: total)
        case .pushing(let done, let total): draw(phase: "Sending changes", done: done, total: total)
        case .pulling(let received): draw(phase: "Receiving", done: received, total: nil)
        case .resyncing: line("The server asked for a full resync; receiving everything again.")
        case .retrying(let attempt, let delay, let reason):
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            line("Retry \(attempt) in \(String(format: "%.1f", seconds)) s: \(reason)")
        case .finished: break
        }
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled, terminal else { return }
        let drawn = state.withLock { state in
            defer { state.drawn = false }
            return state.drawn
        }
        if drawn { write("\n") }
    }

    private func draw(phase: String, done: Int, total: Int?) {
        if terminal {
            let text: String
            if let total, total > 0 {
                let width = 30
                let filled = min(width, done * width / total)
                text =
                    "\r\(phase) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(done)/\(total)"
            } else {
                text = "\r\(phase): \(done) rows"
            }
            state.withLock { $0.drawn = true }
            write(text + "\u{1B}[K")
        } else {
            let isNew = state.withLock { state in
                defer { state.phase = phase }
                return state.phase != phase
            }
            if isNew { write("\(phase)…\n") }
        }
    }

    private func line(_ text: String) {
        let drawn = state.withLock { state in
            defer { state.drawn = false }
            return state.drawn
        }
        write((drawn && terminal ? "\n" : "") + text + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
