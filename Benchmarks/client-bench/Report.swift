import Foundation

/// The benchmark's table, with the issue's targets.
struct Report {
    var inspections: Int
    var itemsPerInspection: Int
    var serverRows: Int
    var seedTime: Duration
    var firstSync: FirstSync
    var incremental: [Duration]
    var storeBytes: Int

    func print() {
        let sorted = incremental.sorted()
        func percentile(_ fraction: Double) -> Duration {
            sorted.isEmpty ? .zero : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
        }
        let median = percentile(0.5)
        let rowsPerSecond = firstSync.seconds > 0 ? Double(firstSync.rows) / firstSync.seconds : 0
        let peakMB = Double(firstSync.peakKB) / 1024
        var lines: [(String, String, String, String)] = [
            ("metric", "value", "target", "met"),
            (
                "first sync, \(inspections) inspections x \(itemsPerInspection) items",
                String(format: "%.2f s (%d rows, %.0f rows/s)", firstSync.seconds, firstSync.rows, rowsPerSecond),
                "< 20 s", firstSync.seconds < 20 ? "yes" : "NO"
            ),
            (
                "peak client memory (VmHWM) in the first sync", String(format: "%.1f MB", peakMB), "< 150 MB",
                peakMB < 150 ? "yes" : "NO"
            ),
            (
                "incremental sync of one change, median of \(incremental.count)", Format.milliseconds(median),
                "< 100 ms", median < .milliseconds(100) ? "yes" : "NO"
            ),
            (
                "incremental sync, p90 / max",
                "\(Format.milliseconds(percentile(0.9))) / \(Format.milliseconds(sorted.last ?? .zero))", "", ""
            ),
            (
                "client store size after the first sync", String(format: "%.1f MB", Double(storeBytes) / 1_048_576), "",
                ""
            ),
            (
                "seeding the server (not timed against a target)", "\(serverRows) rows in \(Format.seconds(seedTime))",
                "", ""
            ),
        ]
        let widths = (
            lines.map(\.0.count).max()!, lines.map(\.1.count).max()!, lines.map(\.2.count).max()!
        )
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width - text.count) }
        for (index, line) in lines.enumerated() {
            Swift.print("| \(pad(line.0, widths.0)) | \(pad(line.1, widths.1)) | \(pad(line.2, widths.2)) | \(line.3)")
            if index == 0 {
                Swift.print(
                    "|-\(String(repeating: "-", count: widths.0))-|-\(String(repeating: "-", count: widths.1))-|-\(String(repeating: "-", count: widths.2))-|----"
                )
            }
        }
        lines.removeAll()
    }
}

/// Number formatting for the table.
enum Format {
    static func seconds(_ duration: Duration, unit: Void) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func seconds(_ duration: Duration) -> String { String(format: "%.2f s", seconds(duration, unit: ())) }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f ms", seconds(duration, unit: ()) * 1000)
    }
}
