import HubModel
import Testing

@testable import Supervision

/// The warning report as a pure function of its clues: what the month counts, the true-positive rate from
/// verdicts, the trend's window, and a PDF that carries the figures.
@Suite struct WarningReportTests {
    static func clue(
        _ model: RiskModelID,
        _ date: String,
        city: Bool = true,
        region: String = "430405",
        verdict: ClueVerdict? = nil,
        disposition: ClueDisposition.Kind? = nil,
        overdue: Bool = false
    ) -> ReportedClue {
        ReportedClue(
            model: model.rawValue,
            fromCity: city,
            regionCode: region,
            industryCode: "F5251",
            raisedOn: CalendarDate(date)!,
            verdict: verdict,
            disposition: disposition,
            closed: disposition != nil,
            overdue: overdue
        )
    }

    static let clues: [ReportedClue] = [
        clue(.falseMedicalAd, "2026-11-01", verdict: .truePositive, disposition: .caseOpened),
        clue(.falseMedicalAd, "2026-11-30", verdict: .truePositive, disposition: .rectificationOrdered),
        clue(.falseMedicalAd, "2026-11-15", region: "430406", verdict: .falsePositive, disposition: .noProblem),
        clue(.illegalFundraising, "2026-11-20", city: false, overdue: true),
        clue(.illegalDrugSales, "2026-10-31", verdict: .truePositive),
        clue(.illegalDrugSales, "2026-06-01"),
        clue(.illegalDrugSales, "2026-05-31"),
        clue(.illegalDrugSales, "2026-12-01"),
    ]

    @Test func theMonthCountsWarningsRaisedInItAndRatesVerdicts() {
        let report = WarningReport(month: ReportMonth("2026-11")!, clues: Self.clues)
        #expect(report.models.map(\.model) == RiskModelID.allCases.map(\.rawValue))
        let ads = report.models[0]
        #expect((ads.raised, ads.verified, ads.truePositives, ads.falsePositives, ads.disposed, ads.closed) == (3, 3, 2, 1, 3, 3))
        #expect(ads.truePositivePercent == 66.7)
        #expect(report.models[1].overdue == 1)
        #expect(report.models[1].fromCity == 0)
        #expect(report.models[1].truePositivePercent == nil)
        #expect(report.models[2].raised == 0)
        #expect(report.city.raised == 4)
        #expect(report.byRegion.map { "\($0.key)=\($0.count)" } == ["430405=3", "430406=1"])
        #expect(Set(report.dispositions.map(\.key)) == ["case_opened", "rectification_ordered", "no_problem"])
    }

    @Test func theTrendIsTheSixMonthsUpToTheReportsMonth() {
        let report = WarningReport(month: ReportMonth("2026-11")!, clues: Self.clues)
        #expect(report.trendMonths.map(\.description) == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"])
        #expect(report.trend[RiskModelID.illegalDrugSales.rawValue] == [1, 0, 0, 0, 1, 0])
        #expect(report.trend["city"] == [1, 0, 0, 0, 1, 4])
    }

    @Test func monthsCrossYears() {
        #expect(ReportMonth("2026-01")!.adding(months: -1).description == "2025-12")
        #expect(ReportMonth("2024-02")!.last.description == "2024-02-29")
        #expect(ReportMonth("2026-13") == nil)
        #expect(ReportMonth("2026-1") == nil)
    }

    @Test func thePDFPrintsTheTableAndStartsPagesAsNeeded() {
        var clues = Self.clues
        for i in 0..<60 { clues.append(Self.clue(.illegalDeviceSales, "2026-11-10", region: String(430400 + i))) }
        let bytes = WarningReport(month: ReportMonth("2026-11")!, clues: clues).pdf(title: "风险预警月报 2026-11", madeAt: "2026-12-01 09:00")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.4"))
        // 虚假医疗广告监测 and 66.7% as the font's UCS-2 hex.
        #expect(text.contains("<865A5047533B75975E7F544A76D16D4B>"))
        #expect(text.contains("<00360036002E00370025>"))
        #expect(text.contains("/Count 2"))
    }
}
