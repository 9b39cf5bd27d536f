import HubModel
import Testing

@testable import Normalization

/// Matching citations as department staff type them: bare titles, aliases from the data table, several
/// instruments in one basis — the same safety rule decides.
@Suite("Item matcher: citations as staff type them")
struct TypedCitationMatchingTests {
    static let aliases = InstrumentAliases(titles: ["食安法": "食品安全法", "医械条例": "医疗器械监督管理条例"])

    static let index = CatalogIndex(
        [
            CatalogEntry(code: "F1", name: "对食品生产经营者的监督检查", itemType: .inspection, department: "市场监管", legalBasis: "《中华人民共和国食品安全法》第一百一十条"),
            CatalogEntry(
                code: "F2",
                name: "对食品生产者的监督检查",
                itemType: .inspection,
                department: "市场监管",
                legalBasis: "《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》第五条"
            ),
            CatalogEntry(code: "F3", name: "对未取得许可从事食品生产经营的处罚", itemType: .penalty, department: "市场监管", legalBasis: "《中华人民共和国食品安全法》第一百二十二条"),
            CatalogEntry(code: "M1", name: "对医疗器械使用单位的检查", itemType: .inspection, department: "药监", legalBasis: "《医疗器械监督管理条例》第七十条"),
            CatalogEntry(code: "M2", name: "对医疗器械经营企业的检查", itemType: .inspection, department: "药监", legalBasis: "《医疗器械经营监督管理办法》第四十九条"),
        ],
        aliases: aliases
    )

    func match(_ basis: String, _ type: ItemType = .penalty, _ department: String = "市场监管", name: String = "事项") -> MatchResult {
        ItemMatcher.match(LocalItem(localCode: "L", localName: name, itemType: type, legalBasis: basis, department: department), in: Self.index)
    }

    @Test(
        "a title typed without 《》 decides like one with them",
        arguments: [
            "食品安全法第一百二十二条", "食品安全法 第122条", "依据中华人民共和国食品安全法第一百二十二条", "违反食品安全法第１２２条的规定",
            "食品安全法（2021年修正）第一百2十2条", "未取得许可 食品安全法第122条", "食安法第122条", "《食安法》第一百二十二条",
        ]
    )
    func bare(_ basis: String) {
        let r = match(basis)
        #expect(r.decision == .auto)
        #expect(r.catalogCode == "F3")
    }

    @Test("an alias resolves on the catalog side too, and an unknown short title matches nothing")
    func alias() {
        #expect(match("根据医械条例第七十条", .inspection, "药监").catalogCode == "M1")
        #expect(match("器械条例第七十条", .inspection, "药监").decision == .unmatched)
        let index = CatalogIndex(
            [CatalogEntry(code: "X", name: "检查", itemType: .inspection, department: "市场监管", legalBasis: "《食安法》第一百一十条")],
            aliases: Self.aliases
        )
        #expect(index.entries[0].references == [LegalReference(instrument: "食品安全法", article: 110)])
    }

    @Test("a basis citing several instruments ranks the candidate sharing all of them first, and still goes to review")
    func several() {
        let r = match("食品安全法第110条；食品生产经营监督检查管理办法第5条", .inspection, name: "对食品生产经营者的监督检查")
        #expect(r.decision == .review)
        #expect(r.candidates.map(\.catalogCode).prefix(2) == ["F2", "F1"])
        #expect(r.candidates[0].sharesEveryProvision)
        #expect(!r.candidates[1].sharesEveryProvision)
        #expect(r.candidates[0].evidence.contains { $0.contains("共享全部所引条款") })
        #expect(r.candidates[1].evidence.contains { $0.contains("仅共享部分所引条款") })
    }

    @Test("several instruments all pointing to one candidate decide alone")
    func severalOne() {
        let r = match("《医疗器械监督管理条例》第七十条；医疗器械经营监督管理办法第四十九条", .inspection, "药监")
        #expect(r.decision == .review)
        let one = match("医疗器械监督管理条例第七十条、第七十条第一款", .inspection, "药监")
        #expect(one.decision == .auto)
        #expect(one.catalogCode == "M1")
    }

    @Test("an item name before the bare title is not part of the title; an unreadable run lends nothing")
    func notSwallowed() {
        #expect(Self.index.references("食品经营日常检查 食品安全法第110条") == [LegalReference(instrument: "食品安全法", article: 110)])
        #expect(Self.index.references("食品安全 法第110条") == [LegalReference(instrument: "食品安全法", article: 110)])
        #expect(Self.index.references("《食品安全法》第110条及其实施细则第5条") == [LegalReference(instrument: "食品安全法", article: 110)])
        // A stray space after a province is inside the title: never the national 医疗器械监督管理条例 the index knows.
        #expect(Self.index.references("湖南省 医疗器械监督管理条例第70条") == [LegalReference(instrument: "湖南省医疗器械监督管理条例", article: 70)])
    }

    @Test("the alias file is read strictly")
    func aliasFile() throws {
        let table = try InstrumentAliases(csv: "alias,title\n食安法,中华人民共和国食品安全法\n", file: "a.csv")
        #expect(table.canonical("食安法") == "食品安全法")
        #expect(throws: InstrumentAliases.Problem.self) { try InstrumentAliases(csv: "alias,title\n食安法,\n", file: "a.csv") }
        #expect(throws: InstrumentAliases.Problem.self) { try InstrumentAliases(csv: "alias,title\n食安法,食品安全法\n食安法,药品管理法\n", file: "a.csv") }
        #expect(throws: InstrumentAliases.Problem.self) { try InstrumentAliases(csv: "alias,title\n甲法,乙法\n乙法,丙法\n", file: "a.csv") }
        #expect(throws: InstrumentAliases.Problem.self) { try InstrumentAliases(csv: "short,title\n甲法,乙法\n", file: "a.csv") }
    }
}
