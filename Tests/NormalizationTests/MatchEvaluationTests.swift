import Foundation
import HubModel
import Testing

@testable import Normalization

/// The matcher on the labelled evaluation set: no wrong automatic match, most single-answer items decided.
@Suite("Matcher evaluation set")
struct MatchEvaluationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("precision 100 %, recall ≥ 95 %, every ambiguous item to review")
    func evaluation() throws {
        let catalog = try String(contentsOf: Self.root.appendingPathComponent("Mappings/catalog/catalog.csv"), encoding: .utf8)
        let items = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/NormalizationTests/Fixtures/evaluation/local-items.csv"),
            encoding: .utf8
        )
        let cases = try MatchEvaluation.cases(csv: items)
        #expect(cases.count >= 120)
        #expect(Set(cases.map(\.item.department)).count >= 5)
        let aliases = try #require(try InstrumentAliases.load(Self.root.appendingPathComponent("Mappings/catalog/instrument-aliases.csv")))
        let e = MatchEvaluation.run(cases, index: try MatchEvaluation.index(catalogCSV: catalog, aliases: aliases))
        print(e.report)
        #expect(e.automaticRight == e.automatic, "a wrong automatic match")
        #expect(e.precision == 1)
        #expect(e.recall >= 0.95)
        // The forms staff type (#15): at least 80 rows, every automatic decision right.
        let typed = [
            "bare-title", "bare-title-space", "basis-prefix", "mixed-numerals", "enactment-note", "alias-title", "item-name-prefix",
            "several-instruments",
        ]
        #expect(typed.reduce(0) { $0 + (e.byTrap[$1]?.rows ?? 0) } >= 80)
        for trap in typed { #expect(e.byTrap[trap]?.automatic == e.byTrap[trap]?.automaticRight, "\(trap)") }
        #expect(e.ambiguousToReview == e.ambiguous)
        #expect(e.unmatchedNotAuto == e.unmatched)
    }

    @Test("the evaluation reads the catalog as the import does: an item retired as 停用 is no candidate")
    func retiredSpelling() throws {
        let csv = """
            catalog_code,name,item_type,department,legal_basis,status
            43000000000001,对食品经营者的监督检查,行政检查,市场监管,《中华人民共和国食品安全法》第一百一十条,停用
            43000000000002,对药品经营者的监督检查,行政检查,市场监管,《中华人民共和国药品管理法》第九十九条,在用
            """
        let index = try MatchEvaluation.index(catalogCSV: csv)
        #expect(index.entry("43000000000001")?.active == false)
        #expect(index.candidates(department: "市场监管", itemType: .inspection).map(\.code) == ["43000000000002"])
        #expect(throws: CatalogFile.Problem.self) { try MatchEvaluation.index(catalogCSV: "catalog_code,name\n1,x\n") }
    }
}
