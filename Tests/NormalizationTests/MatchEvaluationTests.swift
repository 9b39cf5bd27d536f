import Foundation
import HubModel
import Testing
@testable import Normalization

/// The matcher on the labelled evaluation set: no wrong automatic match, most single-answer items decided.
@Suite("Matcher evaluation set")
struct MatchEvaluationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("precision 100 %, recall ≥ 85 %, every ambiguous item to review")
    func evaluation() throws {
        let catalog = try String(contentsOf: Self.root.appendingPathComponent("Mappings/catalog/catalog.csv"), encoding: .utf8)
        let items = try String(contentsOf: Self.root.appendingPathComponent("Tests/NormalizationTests/Fixtures/evaluation/local-items.csv"), encoding: .utf8)
        let cases = try MatchEvaluation.cases(csv: items)
        #expect(cases.count >= 120)
        #expect(Set(cases.map(\.item.department)).count >= 5)
        let e = MatchEvaluation.run(cases, index: try MatchEvaluation.index(catalogCSV: catalog))
        print(e.report)
        #expect(e.automaticRight == e.automatic, "a wrong automatic match")
        #expect(e.precision == 1)
        #expect(e.recall >= 0.85)
        #expect(e.ambiguousToReview == e.ambiguous)
        #expect(e.unmatchedNotAuto == e.unmatched)
    }
}
