extension CalendarDate {
    /// The first day of this day's month.
    public var monthStart: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }

    /// The first and last day of the calendar month after this day's (the month a call list is for).
    public var nextMonth: (first: CalendarDate, last: CalendarDate) {
        let (year, month) = self.month == 12 ? (self.year + 1, 1) : (self.year, self.month + 1)
        let first = CalendarDate(year: year, month: month, day: 1)!
        let (nextYear, nextMonth) = month == 12 ? (year + 1, 1) : (year, month + 1)
        return (first, CalendarDate(year: nextYear, month: nextMonth, day: 1)!.adding(days: -1))
    }
}
