import Foundation
import Testing

@testable import RevisitModel

@Suite("Dates and times")
struct CalendarDateTests {
    @Test("calendar dates parse, print and count days")
    func calendarDate() throws {
        let date = try #require(CalendarDate("2026-03-14"))
        #expect(date.description == "2026-03-14")
        #expect(CalendarDate("1970-01-01")?.daysSinceEpoch == 0)
        #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
        #expect(date.adding(days: 18) == CalendarDate("2026-04-01"))
        #expect(CalendarDate("2024-12-31")!.adding(days: -366) == CalendarDate("2023-12-31"))
        #expect(CalendarDate("2026-02-29") == nil)
        #expect(CalendarDate("2026-13-01") == nil)
        #expect(CalendarDate("0000-01-01") == nil)
        #expect(date < CalendarDate("2026-03-15")!)
    }

    @Test("RFC 3339 date-times read as instants")
    func dateTime() throws {
        #expect(RFC3339DateTime.date(from: "1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        let withOffset = try #require(RFC3339DateTime.date(from: "2026-03-14T10:30:00.250+01:00"))
        let utc = try #require(RFC3339DateTime.date(from: "2026-03-14T09:30:00.25Z"))
        #expect(abs(withOffset.timeIntervalSince(utc)) < 0.000_001)
        #expect(RFC3339DateTime.string(from: utc) == "2026-03-14T09:30:00.250Z")
        #expect(RFC3339DateTime.string(from: Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(RFC3339DateTime.date(from: "2026-03-14T09:30:60Z") == nil)
    }
}
