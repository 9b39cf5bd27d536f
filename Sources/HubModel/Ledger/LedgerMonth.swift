/// A calendar month of the ledger, in China Standard Time (+08:00, no daylight saving since 1991).
///
/// The partitioned ledger (migration 24) and `hub ledger archive` cut months at local midnight on the 1st,
/// because that is the month an operator, an auditor or a court means by "2026年11月" — the console shows
/// every time in +08:00 too. Bounds are Unix microseconds, as `recorded_us` is stored; the SQL twin is
/// `ledger_month_start(us, months)`. Pure.
public struct LedgerMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// +08:00 in microseconds.
    public static let offsetMicros: Int64 = 8 * 3600 * 1_000_000

    public init?(year: Int, month: Int) {
        guard (1970...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// `YYYY-MM` (e.g. `2026-11`); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        self.init(year: y, month: m)
    }

    /// The month (+08:00) holding the instant `micros`.
    public init(containing micros: Int64) {
        let day = CalendarDate(dayNumber: Int(Self.floorDiv(micros + Self.offsetMicros, 86_400_000_000)))
        self.init(year: day.year, month: day.month)!
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    /// The first microsecond of the month.
    public var startMicros: Int64 { Int64(CalendarDate(year: year, month: month, day: 1)!.dayNumber) * 86_400_000_000 - Self.offsetMicros }

    /// The first microsecond of the next month (the bound is exclusive).
    public var endMicros: Int64 { next.startMicros }

    public var next: LedgerMonth { month == 12 ? LedgerMonth(year: year + 1, month: 1)! : LedgerMonth(year: year, month: month + 1)! }

    /// Whether `micros` falls in the month.
    public func contains(_ micros: Int64) -> Bool { micros >= startMicros && micros < endMicros }

    /// Closed: the month is over at `nowMicros` (nothing recorded later can belong to it).
    public func isClosed(at nowMicros: Int64) -> Bool { nowMicros >= endMicros }

    public static func < (a: LedgerMonth, b: LedgerMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
