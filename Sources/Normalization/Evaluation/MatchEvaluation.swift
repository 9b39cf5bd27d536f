import Foundation
import HubModel

/// Scores the matcher against a labelled set of local items (`Tests/NormalizationTests/Fixtures/evaluation`).
///
/// Precision: of the automatic decisions, how many chose the right catalog item (must be 100 %: a wrong
/// automatic match sends wrong data to the province). Recall: of the items that have exactly one right
/// answer, how many were decided automatically and right. Every ambiguous item must go to review.
public struct MatchEvaluation: Sendable {
    public struct Case: Sendable {
        public var item: LocalItem
        /// `auto`, `review` or `unmatched`.
        public var expected: String
        public var expectedCatalogCode: String?
        public var trap: String

        public init(item: LocalItem, expected: String, expectedCatalogCode: String?, trap: String) {
            self.item = item
            self.expected = expected
            self.expectedCatalogCode = expectedCatalogCode
            self.trap = trap
        }
    }

    public struct Miss: Sendable {
        public var localCode: String
        public var expected: String
        public var got: String
        public var trap: String
    }

    public var total = 0
    public var automatic = 0
    public var automaticRight = 0
    public var singleAnswer = 0
    public var ambiguous = 0
    public var ambiguousToReview = 0
    public var unmatched = 0
    public var unmatchedNotAuto = 0
    public var misses: [Miss] = []
    /// The same figures for each trap tag (the form a row was written in), so a form the matcher misses shows.
    public var byTrap: [String: Tally] = [:]

    public struct Tally: Sendable, Equatable {
        public var rows = 0
        public var singleAnswer = 0
        public var automatic = 0
        public var automaticRight = 0
    }

    public var precision: Double { automatic == 0 ? 1 : Double(automaticRight) / Double(automatic) }
    public var recall: Double { singleAnswer == 0 ? 1 : Double(automaticRight) / Double(singleAnswer) }

    public static func run(_ cases: [Case], index: CatalogIndex) -> MatchEvaluation {
        var e = MatchEvaluation()
        for c in cases {
            e.total += 1
            let r = ItemMatcher.match(c.item, in: index)
            let got = r.decision == .auto ? "auto:\(r.catalogCode ?? "")" : r.decision.rawValue
            let trap = c.trap.isEmpty ? "(none)" : c.trap
            e.byTrap[trap, default: Tally()].rows += 1
            if r.decision == .auto {
                e.automatic += 1
                e.byTrap[trap, default: Tally()].automatic += 1
                if c.expected == "auto" && r.catalogCode == c.expectedCatalogCode {
                    e.automaticRight += 1
                    e.byTrap[trap, default: Tally()].automaticRight += 1
                }
            }
            switch c.expected {
            case "auto":
                e.singleAnswer += 1
                e.byTrap[trap, default: Tally()].singleAnswer += 1
            case "review":
                e.ambiguous += 1
                if r.decision == .review { e.ambiguousToReview += 1 }
            default:
                e.unmatched += 1
                if r.decision != .auto { e.unmatchedNotAuto += 1 }
            }
            let want = c.expected == "auto" ? "auto:\(c.expectedCatalogCode ?? "")" : c.expected
            if got != want { e.misses.append(Miss(localCode: c.item.localCode, expected: want, got: got, trap: c.trap)) }
        }
        return e
    }

    /// Reads the evaluation CSV (`department,system,local_code,local_name,item_type,legal_basis,expected,expected_catalog_code,trap`).
    public static func cases(csv text: String) throws -> [Case] {
        let table = try CSV.records(text)
        return table.rows.compactMap { row in
            let v = row.values
            guard let type = ItemType(rawValue: v["item_type"] ?? "") else { return nil }
            let code = v["expected_catalog_code"] ?? ""
            return Case(
                item: LocalItem(
                    localCode: v["local_code"] ?? "",
                    localName: v["local_name"] ?? "",
                    itemType: type,
                    legalBasis: v["legal_basis"] ?? "",
                    department: v["department"] ?? ""
                ),
                expected: v["expected"] ?? "",
                expectedCatalogCode: code.isEmpty ? nil : code,
                trap: v["trap"] ?? ""
            )
        }
    }

    /// Builds a catalog index from a catalog file, read as the store's import reads it (`CatalogFile`).
    public static func index(catalogCSV text: String, file: String = "catalog.csv", aliases: InstrumentAliases = .none) throws -> CatalogIndex {
        CatalogIndex(try CatalogFile.items(text, file: file).map(CatalogEntry.init(item:)), aliases: aliases)
    }

    /// The figures as printed by `hub mappings evaluate` and quoted in docs/NORMALIZATION.md.
    public var report: String {
        func pct(_ x: Double) -> String { String(Int((x * 1000).rounded()) / 10) + "." + String(Int((x * 1000).rounded()) % 10) + " %" }
        var lines = [
            "items: \(total) (single right answer \(singleAnswer), ambiguous \(ambiguous), no match \(unmatched))",
            "automatic decisions: \(automatic), right: \(automaticRight)",
            "precision of automatic decisions: \(pct(precision))",
            "recall of automatic decisions (of single-answer items): \(pct(recall))",
            "ambiguous items sent to review: \(ambiguousToReview)/\(ambiguous)",
            "no-match items not decided automatically: \(unmatchedNotAuto)/\(unmatched)",
        ]
        lines.append("by trap (rows; automatic right/automatic; of single-answer):")
        for (trap, t) in byTrap.sorted(by: { ($0.value.rows, $1.key) > ($1.value.rows, $0.key) }) {
            lines.append("  \(trap): \(t.rows) rows; \(t.automaticRight)/\(t.automatic) right; recall \(t.automaticRight)/\(t.singleAnswer)")
        }
        if !misses.isEmpty {
            lines.append("differences from the expected answer:")
            lines += misses.map { "  \($0.localCode): expected \($0.expected), got \($0.got)\($0.trap.isEmpty ? "" : " [\($0.trap)]")" }
        }
        return lines.joined(separator: "\n")
    }
}
