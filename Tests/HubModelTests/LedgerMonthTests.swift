import HubModel
import Testing

@Suite("Ledger months (+08:00)")
struct LedgerMonthTests {
    /// 2026-11-01 00:00 +08:00 = 2026-10-31 16:00 UTC.
    let novemberStart: Int64 = 1_793_462_400_000_000

    @Test("a month starts at local midnight on the 1st, +08:00, not UTC")
    func boundary() throws {
        let november = try #require(LedgerMonth("2026-11"))
        #expect(november.startMicros == novemberStart)
        #expect(november.description == "2026-11")
        // The last microsecond of October 31 in Beijing is October; the next is November.
        #expect(LedgerMonth(containing: novemberStart - 1) == LedgerMonth("2026-10"))
        #expect(LedgerMonth(containing: novemberStart) == november)
        // 2026-10-31 20:00 UTC is already November 1 in Beijing.
        #expect(LedgerMonth(containing: novemberStart + 4 * 3_600_000_000) == november)
        #expect(november.contains(novemberStart) && !november.contains(novemberStart - 1))
        #expect(november.endMicros == LedgerMonth("2026-12")!.startMicros)
        #expect(!november.contains(november.endMicros) && november.contains(november.endMicros - 1))
    }

    @Test("year ends, leap Februaries and the epoch")
    func calendar() throws {
        let december = try #require(LedgerMonth("2026-12"))
        #expect(december.next == LedgerMonth("2027-01"))
        #expect(december.endMicros - december.startMicros == 31 * 86_400_000_000)
        #expect(LedgerMonth("2028-02")!.endMicros - LedgerMonth("2028-02")!.startMicros == 29 * 86_400_000_000)
        #expect(LedgerMonth("2027-02")!.endMicros - LedgerMonth("2027-02")!.startMicros == 28 * 86_400_000_000)
        #expect(LedgerMonth("1970-01")!.startMicros == -LedgerMonth.offsetMicros)
        #expect(LedgerMonth(containing: 0) == LedgerMonth("1970-01"))
        #expect(LedgerMonth("2026-11")! < LedgerMonth("2026-12")!)
    }

    @Test("only YYYY-MM is a month", arguments: ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "", "２０２６-11", "abcd-ef"])
    func refused(_ text: String) {
        #expect(LedgerMonth(text) == nil)
    }

    @Test("closed only once the next month has begun")
    func closed() throws {
        let november = try #require(LedgerMonth("2026-11"))
        #expect(!november.isClosed(at: november.endMicros - 1))
        #expect(november.isClosed(at: november.endMicros))
    }
}
