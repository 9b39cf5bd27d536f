/// Working days (工作日) as DOMAIN.md §8 counts them: not a Saturday or Sunday, not a public holiday — unless the
/// State Council made that weekend day a working day (调休). Pure: built from the loaded `CalendarYear`s.
///
/// A date in a year with no loaded calendar is an error, never a weekday-only guess: a deadline that silently
/// ignores 春节 would be wrong by a week.
public struct WorkingDays: Sendable, Hashable {
    public private(set) var years: [Int: CalendarYear]

    public init(_ years: [CalendarYear]) {
        self.years = Dictionary(years.map { ($0.year, $0) }, uniquingKeysWith: { _, newer in newer })
    }

    /// A year the calendar does not hold: the operator loads its file.
    public struct MissingYear: Error, Sendable, Hashable, CustomStringConvertible {
        public var year: Int

        public init(year: Int) { self.year = year }

        public var description: String {
            "没有 \(year) 年的工作日历：请用 `hub calendar load --by NAME Mappings/calendar/\(year).csv` 载入国务院办公厅该年节假日安排 "
                + "(no working-day calendar for \(year): load it with `hub calendar load --by NAME Mappings/calendar/\(year).csv`)"
        }
        public var fieldError: FieldError {
            FieldError(
                path: "calendar.\(year)",
                code: "calendar_year_missing",
                zh: "没有 \(year) 年的工作日历：请用 hub calendar load --by NAME Mappings/calendar/\(year).csv 载入",
                en: "no working-day calendar for \(year): load it with hub calendar load --by NAME Mappings/calendar/\(year).csv"
            )
        }
    }

    public func isWorkingDay(_ date: CalendarDate) throws(MissingYear) -> Bool {
        guard let year = years[date.year] else { throw MissingYear(year: date.year) }
        if year.workdays.contains(date) { return true }
        if year.holidays.contains(date) { return false }
        return !date.isWeekend
    }

    /// The `n`-th working day after `start` (`start` itself not counted; `n` = 0 gives `start`). A deadline of
    /// "20 working days from the check" is `date(adding: 20, workingDaysAfter: checkedOn)`.
    public func date(adding n: Int, workingDaysAfter start: CalendarDate) throws(MissingYear) -> CalendarDate {
        precondition(n >= 0, "working days are counted forward")
        var day = start
        var counted = 0
        while counted < n {
            day = day.adding(days: 1)
            if try isWorkingDay(day) { counted += 1 }
        }
        return day
    }
}
