import Foundation

/// One year of the State Council's holiday arrangement (国务院办公厅关于某年部分节假日安排的通知) as data:
/// the holidays and the swapped working days (调休上班), with the notice and the address it was read from.
///
/// The file form is `Mappings/calendar/YYYY.csv`: comment lines first — the notice's title and number, then
/// `# source: URL` — then `date,kind` and one row per date, `kind` = `holiday` or `workday`. DOMAIN.md §8: a year
/// is shipped only when every date was read in a cited source, never filled from memory or a pattern.
public struct CalendarYear: Sendable, Hashable {
    public var year: Int
    /// The notice's title and number, as its header comment says.
    public var notice: String
    /// Where the dates were read.
    public var source: String
    public var holidays: Set<CalendarDate>
    /// Weekend days that are working days (调休).
    public var workdays: Set<CalendarDate>

    public init(year: Int, notice: String, source: String, holidays: Set<CalendarDate>, workdays: Set<CalendarDate>) {
        self.year = year
        self.notice = notice
        self.source = source
        self.holidays = holidays
        self.workdays = workdays
    }

    /// Reads a calendar file; every problem names `file:line`. `file` is only used in the messages, except that a
    /// name of the form `YYYY.csv` must agree with the year of its rows.
    public static func parse(_ text: String, file: String) throws(FieldError) -> CalendarYear {
        func fail(_ line: Int, _ code: String, _ zh: String, _ en: String) -> FieldError {
            FieldError(path: line > 0 ? "\(file):\(line)" : file, code: code, zh: zh, en: en)
        }
        var notice = ""
        var source = ""
        var sawHeader = false
        var year: Int?
        var holidays: Set<CalendarDate> = []
        var workdays: Set<CalendarDate> = []
        // `\r\n` is one Character in Swift: splitting on newlines (not on "\n") reads CRLF files with the right line numbers.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let n = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces.union(["\u{FEFF}"]))
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let comment = line.dropFirst().trimmingCharacters(in: .whitespaces)
                if comment.lowercased().hasPrefix("source:") {
                    source = comment.dropFirst("source:".count).trimmingCharacters(in: .whitespaces)
                } else if notice.isEmpty, !sawHeader {
                    notice = comment
                }
                continue
            }
            if !sawHeader {
                guard line.replacingOccurrences(of: " ", with: "") == "date,kind" else {
                    throw fail(n, "calendar_header_missing", "表头应为 date,kind", "the header row must be date,kind")
                }
                sawHeader = true
                continue
            }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let date = CalendarDate(cells[0]) else {
                throw fail(n, "calendar_bad_row", "行格式应为 YYYY-MM-DD,holiday|workday：\(line)", "expected YYYY-MM-DD,holiday|workday: \(line)")
            }
            if let year, date.year != year {
                throw fail(
                    n,
                    "calendar_mixed_years",
                    "一个文件只能包含一个年度（\(year)），此行为 \(date.year)",
                    "one file holds one year (\(year)); this row is \(date.year)"
                )
            }
            year = date.year
            guard !holidays.contains(date), !workdays.contains(date) else {
                throw fail(n, "calendar_duplicate_date", "日期 \(date) 重复", "date \(date) appears twice")
            }
            switch cells[1] {
            case "holiday": holidays.insert(date)
            case "workday":
                // 调休上班 is always a Saturday or Sunday made a working day; a weekday here is a typo.
                guard date.isWeekend else {
                    throw fail(n, "calendar_workday_not_weekend", "调休上班日 \(date) 不是周末", "swapped working day \(date) is not a weekend day")
                }
                workdays.insert(date)
            default:
                throw fail(n, "calendar_bad_kind", "kind 应为 holiday 或 workday：\(cells[1])", "kind must be holiday or workday: \(cells[1])")
            }
        }
        guard let year, !holidays.isEmpty else {
            throw fail(0, "calendar_empty", "文件中没有任何节假日", "the file lists no holiday")
        }
        guard !notice.isEmpty else {
            throw fail(1, "calendar_notice_missing", "首行注释应为通知标题与文号", "the first comment must name the notice (title and number)")
        }
        guard source.hasPrefix("https://") || source.hasPrefix("http://") else {
            throw fail(0, "calendar_source_missing", "缺少注释行 # source: 来源网址", "a comment line # source: URL is required")
        }
        let base = file.split(separator: "/").last.map(String.init) ?? file
        if base.count == 8, base.hasSuffix(".csv"), let named = Int(base.prefix(4)), named != year {
            throw fail(0, "calendar_year_mismatch", "文件名年度 \(named) 与内容年度 \(year) 不一致", "the file is named \(named) but lists \(year)")
        }
        return CalendarYear(year: year, notice: notice, source: source, holidays: holidays, workdays: workdays)
    }

    /// The canonical file text (what `hub calendar load` installs and `show` prints).
    public var csv: String {
        var out = "# \(notice)\n# source: \(source)\ndate,kind\n"
        let rows = holidays.map { ($0, "holiday") } + workdays.map { ($0, "workday") }
        for (date, kind) in rows.sorted(by: { $0.0 < $1.0 }) { out += "\(date),\(kind)\n" }
        return out
    }
}
