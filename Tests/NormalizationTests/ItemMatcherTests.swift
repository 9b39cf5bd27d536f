import HubModel
import Testing

@testable import Normalization

@Suite("Item matcher: same legal basis, decided alone only when sure")
struct ItemMatcherTests {
    static let index = CatalogIndex([
        CatalogEntry(code: "A1", name: "对药品零售企业的监督检查", itemType: .inspection, department: "药监", legalBasis: "《中华人民共和国药品管理法》第九十九条"),
        CatalogEntry(code: "A2", name: "对药品经营企业销售劣药的行政处罚", itemType: .penalty, department: "药监", legalBasis: "《中华人民共和国药品管理法》第一百一十七条"),
        CatalogEntry(code: "A3", name: "对药品使用单位的监督检查", itemType: .inspection, department: "药监", legalBasis: "《中华人民共和国药品管理法》第九十九条第三款"),
        CatalogEntry(code: "B1", name: "对食品生产经营者的监督检查", itemType: .inspection, department: "市场监管", legalBasis: "《中华人民共和国食品安全法》第一百一十条"),
        CatalogEntry(code: "B2", name: "对网络食品交易第三方平台的检查", itemType: .inspection, department: "市场监管", legalBasis: "《中华人民共和国食品安全法》第六十二条"),
        CatalogEntry(code: "B3", name: "已停用事项", itemType: .inspection, department: "市场监管", legalBasis: "《产品质量法》第十五条", active: false),
    ])

    func match(_ name: String, _ type: ItemType, _ basis: String, _ department: String) -> MatchResult {
        ItemMatcher.match(LocalItem(localCode: "L", localName: name, itemType: type, legalBasis: basis, department: department), in: Self.index)
    }

    @Test("exactly one candidate with the same instrument and article decides alone, with evidence")
    func auto() {
        let r = match("食品经营日常检查", .inspection, "《食品安全法》第110条", "市场监管")
        #expect(r.decision == .auto)
        #expect(r.catalogCode == "B1")
        #expect(r.candidates.first?.evidence.contains { $0.contains("依据同源") } == true)
    }

    @Test("two candidates sharing the article go to review, ranked by name")
    func shared() {
        let r = match("药品零售企业检查", .inspection, "《药品管理法》第九十九条", "药监")
        #expect(r.decision == .review)
        #expect(r.catalogCode == nil)
        #expect(r.candidates.map(\.catalogCode).prefix(2).contains("A1"))
        #expect(r.candidates.first?.catalogCode == "A1")
    }

    @Test("the item type restricts: the same law's penalty article does not match an inspection")
    func type() {
        #expect(match("劣药处罚", .penalty, "《药品管理法》第117条", "药监").catalogCode == "A2")
        #expect(match("劣药检查", .inspection, "《药品管理法》第117条", "药监").decision == .unmatched)
    }

    @Test("another department, a retired item or no citation: unmatched")
    func unmatched() {
        #expect(match("食品检查", .inspection, "《食品安全法》第110条", "药监").decision == .unmatched)
        #expect(match("产品质量检查", .inspection, "《产品质量法》第15条", "市场监管").decision == .unmatched)
        #expect(match("日常检查", .inspection, "", "市场监管").decision == .unmatched)
    }

    @Test("a differing paragraph contradicts and sends the item to review")
    func contradiction() {
        let index = CatalogIndex([CatalogEntry(code: "C1", name: "检查", itemType: .inspection, department: "药监", legalBasis: "《药品管理法》第九十九条第一款")])
        let r = ItemMatcher.match(
            LocalItem(localCode: "L", localName: "检查", itemType: .inspection, legalBasis: "《药品管理法》第99条第3款", department: "药监"),
            in: index
        )
        #expect(r.decision == .review)
        #expect(r.candidates.first?.contradictions.isEmpty == false)
    }

    @Test("name similarity is symmetric and bounded")
    func similarity() {
        #expect(NameSimilarity.dice("对食品生产经营者的监督检查", "对食品生产经营者的监督检查") == 1)
        #expect(NameSimilarity.dice("食品", "药品") < 0.5)
        #expect(NameSimilarity.dice("a", "") == 0)
    }
}

@Suite("Item matcher: refinements compared pair by pair")
struct ItemMatcherRefinementTests {
    static let index = CatalogIndex([
        CatalogEntry(
            code: "Z1",
            name: "责令暂停导致职业病危害事故的作业",
            itemType: .coercion,
            department: "卫健",
            legalBasis: "《中华人民共和国职业病防治法》第六十四条第一款第（一）项、第（二）项"
        )
    ])

    func match(_ basis: String) -> MatchResult {
        ItemMatcher.match(
            LocalItem(localCode: "L", localName: "职业病危害事故现场临时控制", itemType: .coercion, legalBasis: basis, department: "卫健"),
            in: Self.index
        )
    }

    @Test("the same list of items on both sides agrees (each local item has its catalog twin)")
    func sameList() {
        #expect(match("《职业病防治法》第64条第1款第（1）项、第（2）项").decision == .auto)
        #expect(match("《职业病防治法》第64条").decision == .auto)
    }

    @Test("an item or paragraph the catalog does not cite for that article contradicts")
    func otherItem() {
        #expect(match("《职业病防治法》第64条第1款第（3）项").decision == .review)
        #expect(match("《职业病防治法》第64条第2款").decision == .review)
        #expect(match("《职业病防治法》第64条第（4）项").decision == .review)
    }
}
