import Foundation
import HubModel
import Testing

@testable import Normalization

/// The citation table (`Fixtures/citations.tsv`): real-looking legal-basis text and the references it must
/// give. The table is the specification of `CitationParser`; each line is its own test case.
@Suite("Legal-basis citation table")
struct CitationTableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var line: Int
        var input: String
        var expected: String
        var testDescription: String { "line \(line): \(input)" }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/citations.tsv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, raw in
            guard !raw.isEmpty, !raw.hasPrefix("#") else { return nil }
            let parts = raw.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            return Case(
                line: i + 1,
                input: String(parts[0]).replacingOccurrences(of: "\\n", with: "\n"),
                expected: parts.count > 1 ? String(parts[1]) : ""
            )
        }
    }()

    /// `药品管理法#117.1.3`, `条例#12..3`, `旅游法` — the table's notation for a reference.
    static func notation(_ r: LegalReference) -> String {
        guard let article = r.article else { return r.instrument }
        var s = "\(r.instrument)#\(article)"
        if r.paragraph != nil || r.item != nil { s += "." + (r.paragraph.map(String.init) ?? "") }
        if let item = r.item { s += ".\(item)" }
        return s
    }

    @Test("the table holds at least 150 citations")
    func size() {
        #expect(Self.cases.count >= 150)
    }

    @Test("each citation parses to its canonical references", arguments: cases)
    func parse(_ c: Case) {
        let got = CitationParser.parse(c.input).map(Self.notation).joined(separator: " | ")
        #expect(got == c.expected)
    }
}
