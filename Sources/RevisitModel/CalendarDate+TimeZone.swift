import Foundation

extension CalendarDate {
    /// The day `instant` falls on in `zone`: an inspection's date and "today" for a tenant are local days, so a
    /// 23:30 inspection in Amsterdam counts from that day, not from the next UTC one.
    public init(_ instant: Date, in zone: TimeZone) {
        let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        self.init(daysSinceEpoch: Int((local / 86_400).rounded(.down)))
    }

    /// The instant of `hour`:`minute` local time on this day in `zone` (such as 08:00 for a release), which keeps
    /// its local hour across daylight-saving changes.
    ///
    /// The zone's offset is taken at a first guess and then at the instant it gives, so the offset of the day
    /// itself is used, not that of midnight UTC; in the rare hour a change skips, the result is an hour off the
    /// asked time rather than nothing.
    public func instant(hour: Int, minute: Int = 0, in zone: TimeZone) -> Date {
        let local = Double(daysSinceEpoch * 86_400 + hour * 3600 + minute * 60)
        let guess = Date(
            timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        )
        return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: guess)))
    }
}
