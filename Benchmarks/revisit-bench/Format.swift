import Foundation

/// Number formatting for the table.
enum Format {
    /// 1234567 as "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// 10000 as "10k", 1000000 as "1M".
    static func size(_ rows: Int) -> String {
        if rows >= 1_000_000, rows % 1_000_000 == 0 { return "\(rows / 1_000_000)M" }
        if rows >= 1_000, rows % 1_000 == 0 { return "\(rows / 1_000)k" }
        return grouped(rows)
    }
}
