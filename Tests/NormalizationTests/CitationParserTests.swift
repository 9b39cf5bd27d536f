import HubModel
import Testing

@testable import Normalization

@Suite("Legal-basis citations")
struct CitationParserTests {
    typealias R = LegalReference

    @Test(
        "Chinese and Arabic numerals",
        arguments: [
            ("九十九", 99), ("99", 99), ("一百一十", 110), ("十二", 12), ("十", 10), ("一百零五", 105), ("二百", 200), ("１２", 12), ("七十", 70),
        ]
    )
    func numerals(_ text: String, _ value: Int) {
        #expect(ChineseNumeral.value(Substring(text)) == value)
    }

    @Test(
        "published forms become canonical references",
        arguments: [
            ("《中华人民共和国药品管理法》第九十九条", [R(instrument: "药品管理法", article: 99)]),
            ("《药品管理法》第99条第一款", [R(instrument: "药品管理法", article: 99, paragraph: 1)]),
            ("《医疗器械监督管理条例》（国务院令第739号）第七十条", [R(instrument: "医疗器械监督管理条例", article: 70)]),
            ("依据《中华人民共和国广告法》第五十五条、第五十八条", [R(instrument: "广告法", article: 55), R(instrument: "广告法", article: 58)]),
            ("《湖南省食品安全条例》第十二条第（三）项", [R(instrument: "湖南省食品安全条例", article: 12, item: 3)]),
            ("《食品安全法》第一百一十条；《食品安全法实施条例》第六十条", [R(instrument: "食品安全法", article: 110), R(instrument: "食品安全法实施条例", article: 60)]),
            (
                "《中华人民共和国安全生产法》第十条至第十二条",
                [R(instrument: "安全生产法", article: 10), R(instrument: "安全生产法", article: 11), R(instrument: "安全生产法", article: 12)]
            ),
            ("《 中华人民共和国 食品安全法 》 第 一百二十二条 第一款", [R(instrument: "食品安全法", article: 122, paragraph: 1)]),
            ("《产品质量法》第十五条第一款第（二）项", [R(instrument: "产品质量法", article: 15, paragraph: 1, item: 2)]),
            ("《旅游法》", [R(instrument: "旅游法")]),
            ("无依据文字", []),
        ]
    )
    func parse(_ text: String, _ expected: [R]) {
        #expect(CitationParser.parse(text) == expected)
    }

    @Test("titles normalize with and without the state prefix")
    func titles() {
        #expect(CitationParser.normalizeTitle("中华人民共和国药品管理法") == "药品管理法")
        #expect(CitationParser.normalizeTitle("药品管理法") == "药品管理法")
    }

    @Test("an absurd range does not expand")
    func range() {
        // Read as its two ends, never as 9,000 articles.
        #expect(CitationParser.parse("《某法》第一条至第九千条") == [R(instrument: "某法", article: 1), R(instrument: "某法", article: 9000)])
    }
}

@Suite("Hostile citations")
struct HostileCitationTests {
    @Test("a numeral too long to be an article number is ignored, never overflows")
    func longNumerals() {
        #expect(CitationParser.parse("《药品管理法》第" + String(repeating: "九", count: 40) + "条").isEmpty == false)
        #expect(ChineseNumeral.value(Substring(String(repeating: "九", count: 40))) == nil)
        #expect(ChineseNumeral.value(Substring(String(repeating: "９", count: 30))) == nil)
    }
}
