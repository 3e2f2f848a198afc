import Foundation

/// Reads and writes RFC 3339 date-times (`2026-03-14T09:30:00.250+01:00`) such as an inspection's `inspectedAt`.
///
/// `ISO8601DateFormatter` needs to be told in advance whether fractional seconds are present and accepts forms
/// RFC 3339 does not, so the model parses the one grammar itself: validation and the store then agree on what
/// a valid timestamp is.
public enum RFC3339DateTime {
    /// The instant `text` names, or nil if it is not an RFC 3339 `date-time`.
    ///
    /// Requires a full date, `T` (or `t`), hours, minutes and seconds, optional fractional seconds (1 to 9
    /// digits), and `Z` (or `z`) or a numeric offset `±HH:MM`. The date must be real; leap seconds (`:60`) are
    /// refused because `Date` cannot represent them.
    public static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 35 else { return nil }
        guard let date = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = Digits.number(bytes[11..<13]), hour <= 23,
            let minute = Digits.number(bytes[14..<16]), minute <= 59,
            let second = Digits.number(bytes[17..<19]), second <= 59
        else { return nil }

        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            let start = index + 1
            var end = start
            while end < bytes.count, Digits.number(bytes[end..<end + 1]) != nil { end += 1 }
            guard (1...9).contains(end - start), let digits = Digits.number(bytes[start..<end]) else { return nil }
            fraction = Double(digits) / pow(10, Double(end - start))
            index = end
        }

        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHours = Digits.number(bytes[index + 1..<index + 3]), offsetHours <= 23,
                let offsetMinutes = Digits.number(bytes[index + 4..<index + 6]), offsetMinutes <= 59
            else { return nil }
            let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            return nil
        }

        let seconds = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Whether `text` is an RFC 3339 `date-time` that ``date(from:)`` accepts.
    public static func isValid(_ text: String) -> Bool {
        date(from: text) != nil
    }

    /// The UTC text of `date` with milliseconds, like `2026-03-14T09:30:00.250Z`: the form the server writes.
    public static func string(from date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (days, millisOfDay) = millis.quotientAndRemainder(dividingBy: 86_400_000)
        let (dayNumber, dayMillis) = millisOfDay < 0 ? (days - 1, millisOfDay + 86_400_000) : (days, millisOfDay)
        let day = CalendarDate(daysSinceEpoch: Int(dayNumber))
        let milliseconds = Int(dayMillis)
        return day.description + "T" + Digits.padded(milliseconds / 3_600_000, width: 2) + ":"
            + Digits.padded(milliseconds / 60_000 % 60, width: 2) + ":"
            + Digits.padded(milliseconds / 1000 % 60, width: 2) + "."
            + Digits.padded(milliseconds % 1000, width: 3) + "Z"
    }
}
