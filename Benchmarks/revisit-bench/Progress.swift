import Foundation

/// Progress lines on stderr (the table goes to stdout), with the time since the run started.
enum Progress {
    private static let start = ContinuousClock.now

    static func say(_ text: String) {
        let elapsed = (ContinuousClock.now - start).seconds
        let stamp = String(format: "%7.1fs", elapsed)
        FileHandle.standardError.write(Data("[\(stamp)] \(text)\n".utf8))
    }
}

/// Counts seeded rows across concurrent clients and reports every tenth of the way.
actor SeedProgress {
    private let total: Int
    private var done = 0
    private var nextReport: Int
    private let started = ContinuousClock.now

    init(total: Int) {
        self.total = total
        nextReport = total / 10
    }

    func advance(by count: Int) {
        done += count
        guard total >= 50_000, done >= nextReport, done < total else { return }
        let rate = Double(done) / (ContinuousClock.now - started).seconds
        Progress.say(
            "  seeded \(Format.grouped(done)) / \(Format.grouped(total)) rows (\(Format.grouped(Int(rate))) rows/s)"
        )
        nextReport += total / 10
    }
}
