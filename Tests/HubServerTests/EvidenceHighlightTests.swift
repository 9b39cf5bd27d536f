import Testing

@testable import HubServer

/// The console's highlight of matched evidence: scalar offsets (full-width text and emoji), escaping, merging.
@Suite struct EvidenceHighlightTests {
    @Test func marksScalarSpansAndEscapesTheRest() {
        #expect(EvidenceHighlight.html("三天根治<b>，无效退款", spans: [(2, 2), (8, 4)]) == "三天<mark>根治</mark>&lt;b&gt;，<mark>无效退款</mark>")
        #expect(EvidenceHighlight.html("👍🏻保本保息", spans: [(2, 4)]) == "👍🏻<mark>保本保息</mark>")
    }

    @Test func overlappingAndOutOfRangeSpansNeverBreakThePage() {
        #expect(EvidenceHighlight.html("年化收益18%", spans: [(0, 4), (2, 5), (6, 99), (-3, 1)]) == "<mark>年化收益18%</mark>")
        #expect(EvidenceHighlight.html("abc", spans: [(5, 2), (1, 0)]) == "abc")
    }
}
