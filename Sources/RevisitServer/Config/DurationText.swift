import Foundation

/// Durations as the command line writes them: `500ms`, `1s`, `5min` (or `5m`), `2h`, `90d`; a comma list for a
/// retry schedule (`1s,2s,5s`).
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = text.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits), value >= 0 else { return nil }
        let unit = text.dropFirst(digits.count)
        let seconds: Double
        switch unit {
        case "ms": seconds = value / 1000
        case "s", "": seconds = value
        case "m", "min": seconds = value * 60
        case "h": seconds = value * 3600
        case "d": seconds = value * 86400
        default: return nil
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    public static func parseList(_ text: String) -> [Duration]? {
        let parts = text.split(separator: ",").map { parse(String($0)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.compactMap { $0 }
    }
}
