import Foundation
import Testing

@testable import HubModel

/// Working-day deadlines over the State Council calendars shipped in `Mappings/calendar/` (DOMAIN.md §8).
@Suite struct WorkingDaysTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shipped(_ year: Int) throws -> CalendarYear {
        let file = "Mappings/calendar/\(year).csv"
        return try CalendarYear.parse(String(contentsOf: root.appendingPathComponent(file), encoding: .utf8), file: file)
    }

    static func calendar() throws -> WorkingDays { WorkingDays([try shipped(2025), try shipped(2026)]) }

    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test("the shipped years hold every date of their notices and cite them")
    func shippedYears() throws {
        let y2025 = try Self.shipped(2025)
        // 元旦 1 + 春节 8 + 清明 3 + 劳动节 5 + 端午 3 + 国庆中秋 8 days; five 调休 working days.
        #expect(y2025.holidays.count == 28 && y2025.workdays.count == 5)
        #expect(y2025.notice.contains("国办发明电〔2024〕12号"))
        #expect(y2025.source.hasPrefix("https://"))
        let y2026 = try Self.shipped(2026)
        // 元旦 3 + 春节 9 + 清明 3 + 劳动节 5 + 端午 3 + 中秋 3 + 国庆 7; six 调休 working days.
        #expect(y2026.holidays.count == 33 && y2026.workdays.count == 6)
        #expect(y2026.workdays.allSatisfy { $0.isWeekend })
        #expect(try CalendarYear.parse(y2026.csv, file: "2026.csv") == y2026)
    }

    @Test("weekdays and day numbers agree with the notices' own 周几")
    func weekdays() {
        #expect(day("1970-01-01").dayNumber == 0)
        #expect(day("2025-01-28").weekday == 2)  // 农历除夕、周二
        #expect(day("2025-10-11").weekday == 6)  // 周六 上班
        #expect(day("2026-02-15").weekday == 7)  // 腊月二十八、周日
        #expect(day("2024-02-28").adding(days: 2) == day("2024-03-01"))
        #expect(day("2026-12-31").adding(days: 1) == day("2027-01-01"))
        #expect(CalendarDate(dayNumber: day("2000-02-29").dayNumber) == day("2000-02-29"))
    }

    @Test("a deadline across 国庆 2025 skips the eight days off and counts the two 调休 Sundays and Saturdays")
    func acrossNationalDay() throws {
        let calendar = try Self.calendar()
        let friday = day("2025-09-26")
        #expect(try calendar.date(adding: 0, workingDaysAfter: friday) == friday)
        #expect(try calendar.date(adding: 1, workingDaysAfter: friday) == day("2025-09-28"))  // Sunday, 上班
        #expect(try calendar.date(adding: 4, workingDaysAfter: friday) == day("2025-10-09"))  // after 10-01…10-08
        #expect(try calendar.date(adding: 6, workingDaysAfter: friday) == day("2025-10-11"))  // Saturday, 上班
        #expect(try calendar.date(adding: 20, workingDaysAfter: day("2025-09-15")) == day("2025-10-17"))
        #expect(try calendar.isWorkingDay(day("2025-10-08")) == false)  // a Wednesday off
    }

    @Test("a deadline across 春节 2026 and one across the new year")
    func acrossSpringFestivalAndNewYear() throws {
        let calendar = try Self.calendar()
        let thursday = day("2026-02-12")
        #expect(try calendar.date(adding: 2, workingDaysAfter: thursday) == day("2026-02-14"))  // Saturday, 上班
        #expect(try calendar.date(adding: 3, workingDaysAfter: thursday) == day("2026-02-24"))  // after 02-15…02-23
        #expect(try calendar.date(adding: 8, workingDaysAfter: thursday) == day("2026-03-02"))  // 02-28 Saturday counted
        #expect(try calendar.date(adding: 20, workingDaysAfter: day("2026-01-30")) == day("2026-03-05"))
        // 20 working days from a check on 2025-12-20: across 元旦 2026 (01-01…01-03 off, Sunday 01-04 上班).
        #expect(try calendar.date(adding: 20, workingDaysAfter: day("2025-12-20")) == day("2026-01-19"))
    }

    @Test("a deadline reaching a year without a calendar is an error naming the year and the command")
    func unknownYear() throws {
        let calendar = try Self.calendar()
        #expect(throws: WorkingDays.MissingYear(year: 2027)) {
            try calendar.date(adding: 5, workingDaysAfter: day("2026-12-29"))
        }
        do throws(WorkingDays.MissingYear) {
            _ = try calendar.date(adding: 1, workingDaysAfter: day("2024-06-03"))
            Issue.record("2024 is not loaded")
        } catch {
            #expect(error.year == 2024)
            #expect(error.description.contains("hub calendar load --by NAME Mappings/calendar/2024.csv"))
            #expect(error.fieldError.code == "calendar_year_missing")
        }
        // Within the loaded year the same start is fine up to its last working day.
        #expect(try calendar.date(adding: 2, workingDaysAfter: day("2026-12-29")) == day("2026-12-31"))
    }

    @Test("the parser names the file and line of every problem")
    func parserErrors() {
        let head = "# 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）\n# source: https://example.org/n\n"
        func code(_ text: String, file: String = "2025.csv") -> (String, String)? {
            do throws(FieldError) {
                _ = try CalendarYear.parse(text, file: file)
                return nil
            } catch { return (error.path, error.code) }
        }
        #expect(code(head + "day,type\n2025-01-01,holiday\n")! == ("2025.csv:3", "calendar_header_missing"))
        #expect(code(head + "date,kind\n2025-01-01,holiday\n2025-02-30,holiday\n")! == ("2025.csv:5", "calendar_bad_row"))
        #expect(code(head + "date,kind\n2025-01-01,holiday\n2025-01-02,off\n")! == ("2025.csv:5", "calendar_bad_kind"))
        // 2025-01-27 is a Monday: not a 调休 working day.
        #expect(code(head + "date,kind\n2025-01-01,holiday\n2025-01-27,workday\n")! == ("2025.csv:5", "calendar_workday_not_weekend"))
        #expect(code(head + "date,kind\n2025-01-01,holiday\n2025-01-01,holiday\n")! == ("2025.csv:5", "calendar_duplicate_date"))
        #expect(code(head + "date,kind\n2025-01-01,holiday\n2026-01-01,holiday\n")! == ("2025.csv:5", "calendar_mixed_years"))
        #expect(code("# title only\ndate,kind\n2025-01-01,holiday\n")?.1 == "calendar_source_missing")
        #expect(code(head + "date,kind\n")?.1 == "calendar_empty")
        #expect(code(head + "date,kind\n2025-01-01,holiday\n", file: "Mappings/calendar/2026.csv")?.1 == "calendar_year_mismatch")
        #expect(code(head + "\r\ndate,kind\r\n2025-01-01,holiday\r\n") == nil)
    }
}

/// A date reads back as it was written, a year before 1000 included (the API contract run sent `0083-02-23`, and
/// an unpadded `83-02-23` reached PostgreSQL as another date).
@Suite struct CalendarDateTextTests {
    @Test func theTextRoundTripsWithFourDigitYears() {
        for text in ["0083-02-23", "0001-01-01", "2026-12-07", "9999-12-31"] {
            #expect(CalendarDate(text)?.description == text)
        }
        #expect(CalendarDate("83-02-23") == nil)
    }
}
