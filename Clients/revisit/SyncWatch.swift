import Dispatch
import Foundation
import RevisitClient
import RevisitModel

/// `revisit sync --watch`: the library's watcher, one line per change on stdout until Ctrl-C.
///
/// Changes go to stdout (one JSON object per line with `--json`, flushed at once so a pipe or a log file sees each
/// as it happens); what the watcher is doing (listening, offline) goes to stderr as notes in text mode.
enum SyncWatch {
    static func run(_ client: RevisitClient, _ output: Output) async throws {
        let watching = Task {
            var first = true
            for try await event in client.watch() {
                report(event, first: first, json: output.json, output)
                if case .synced = event { first = false }
            }
        }
        // Ctrl-C (and a service manager's SIGTERM) cancel the watch, which ends it cleanly: exit 0, nothing lost.
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { watching.cancel() }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
        }
        try await watching.value
    }

    private static func report(_ event: WatchEvent, first: Bool, json: Bool, _ output: Output) {
        let time = clockTime(Date())
        if json {
            line(JSONRendering.watch(event, at: Date()).jsonString)
            return
        }
        switch event {
        case .synced(let summary):
            let cursor = summary.cursor.map { " (cursor \($0))" } ?? ""
            let sent = summary.applied + summary.duplicates
            if sent > 0 || summary.rejected > 0 {
                line(
                    "\(time) sent \(sent) change\(sent == 1 ? "" : "s")"
                        + (summary.rejected > 0 ? ", \(summary.rejected) rejected (see revisit status)" : "")
                )
            }
            if summary.pulled > 0 {
                line("\(time) received \(summary.pulled) row\(summary.pulled == 1 ? "" : "s")\(cursor)")
            } else if first && sent == 0 && summary.rejected == 0 {
                line("\(time) up to date\(cursor)")
            }
            if summary.conflicts > 0 { line("\(time) \(summary.conflicts) conflict(s): see revisit conflicts") }
        case .listening(let channel):
            output.note(
                "revisit: \(time) watching for changes "
                    + (channel == .stream ? "(event stream)" : "(long polls)") + "; Ctrl-C stops"
            )
        case .offline(let delay, let reason):
            output.note("revisit: \(time) offline: \(reason); trying again in \(seconds(delay)) s")
        }
    }

    private static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, atto) = duration.components
        return String(format: "%.1f", Double(whole) + Double(atto) / 1e18)
    }

    /// The local time of day, `12:04:31`.
    private static func clockTime(_ date: Date) -> String {
        let parts = Calendar.current.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}

extension JSONRendering {
    /// One line of `revisit sync --watch --json`: `event` is `synced`, `listening` or `offline`.
    static func watch(_ event: WatchEvent, at date: Date) -> JSONValue {
        var object: [String: JSONValue] = ["at": self.date(date)]
        switch event {
        case .synced(let summary):
            object["event"] = "synced"
            object["cursor"] = optional(summary.cursor)
            if case .object(let fields) = sync(summary) { object.merge(fields) { current, _ in current } }
        case .listening(let channel):
            object["event"] = "listening"
            object["channel"] = .string(channel.rawValue)
        case .offline(let delay, let reason):
            object["event"] = "offline"
            object["retryIn"] = .double(Double(SyncWatch.seconds(delay)) ?? 0)
            object["reason"] = .string(reason)
        }
        return .object(object)
    }
}
