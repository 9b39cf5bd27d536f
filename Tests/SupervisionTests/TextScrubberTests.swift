import Testing

@testable import Supervision

/// The scrubber's byte-level search: every occurrence replaced, longest names first, multi-byte text matched on
/// whole characters, and text with nothing to hide returned as it came.
@Suite struct TextScrubberTests {
    @Test func replacesEveryOccurrenceWithoutOverlap() {
        var bytes = Array("aaaa张三x张三".utf8)
        #expect(TextScrubber.replaceAll(Array("aa".utf8), with: Array("b".utf8), in: &bytes))
        #expect(String(decoding: bytes, as: UTF8.self) == "bb张三x张三")
        #expect(TextScrubber.replaceAll(Array("张三".utf8), with: Array("张*".utf8), in: &bytes))
        #expect(String(decoding: bytes, as: UTF8.self) == "bb张*x张*")
        #expect(!TextScrubber.replaceAll(Array("李四".utf8), with: Array("李*".utf8), in: &bytes))
        #expect(TextScrubber.firstIndex(of: Array("x".utf8), in: Array("x".utf8), from: 1) == nil)
    }

    @Test func masksNamesLongestFirstAndRemovesKnownText() {
        let s = TextScrubber(names: ["欧阳修", "欧阳修文"], removals: ["杭州市西湖区文三路1号"], exemptCodes: [])
        let out = s.scrub("欧阳修文住杭州市西湖区文三路1号，与欧阳修同行；欧阳修文签字")
        #expect(out == "欧***住（已隐去），与欧**同行；欧***签字")
    }

    @Test func textWithNothingToHideIsUnchanged() {
        let s = TextScrubber(names: ["王五"], removals: ["13800000000"], exemptCodes: [])
        let text = "经查，当事人未按规定公示年度报告。"
        #expect(s.scrub(text) == text)
        #expect(TextScrubber(names: [], removals: [], exemptCodes: []).scrub("联系人：赵六") == "联系人：赵*")
    }

    @Test(
        "digit runs are classified by length and the label before them",
        arguments: [
            ("账号：6222021234567890", "账号：****************"),
            ("联系电话 88001234，日期2026-11-02", "联系电话 ********，日期2026-11-02"),
            ("手机138-1234-5678", "手机138****5678"),
            ("身份证号11010519491231002X已核", "身份证号1****************X已核"),
            ("统一社会信用代码91330105MA2KER1H4N", "统一社会信用代码91330105MA2KER1H4N"),
            ("批号 123456789012345678901", "批号 *********************"),
            ("罚款5000元", "罚款5000元"),
        ]
    )
    func digits(_ text: String, _ expected: String) {
        #expect(TextScrubber(names: [], removals: [], exemptCodes: []).scrub(text) == expected)
    }
}
