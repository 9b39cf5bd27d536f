import Foundation
import HubModel
import Supervision
import Testing

/// The five models of `Mappings/risk/` against the labelled corpus (`scripts/gen_risk_corpus.py`): precision and
/// recall per model, each at least 0.9 (issue #14). The confusion counts are printed for docs/RISK.md "Measured";
/// `RISK_CORPUS_MISSES=1` prints every false positive and false negative too (a folder path: written there).
@Suite struct RiskCorpusTests {
    struct Row {
        var model: RiskModelID
        var tp = 0, fp = 0, fn = 0
        var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
    }

    /// Evaluates every case and prints the table (and the misses when asked).
    static func measure(_ file: String) throws -> [Row] {
        let models = try RiskFixtures.models()
        let cases = try RiskFixtures.corpus(file)
        var rows = RiskModelID.allCases.map { Row(model: $0) }
        var misses: [String] = []
        let started = ContinuousClock.now
        for c in cases {
            let warned = Set(models.evaluate(c.observation, facts: c.facts).map(\.model))
            for (i, id) in RiskModelID.allCases.enumerated() {
                switch (warned.contains(id), c.expected.contains(id)) {
                case (true, true): rows[i].tp += 1
                case (true, false):
                    rows[i].fp += 1
                    misses.append("FP \(id.rawValue) [\(c.scenario)] \(c.observation.observationId) \(text(c.observation))")
                case (false, true):
                    rows[i].fn += 1
                    misses.append("FN \(id.rawValue) [\(c.scenario)] \(c.observation.observationId) \(text(c.observation))")
                case (false, false): break
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        print("\(file): \(cases.count) observations, evaluated in \(elapsed)")
        print("model                        TP   FP   FN  precision  recall")
        for r in rows {
            print(
                r.model.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0) + [r.tp, r.fp, r.fn].map { String($0).leftPadded(5) }.joined()
                    + String(format: "%11.3f%8.3f", r.precision, r.recall)
            )
        }
        // RISK_CORPUS_MISSES=1 prints the misses; a folder path writes them to <folder>/<file>.misses.txt instead.
        if let target = ProcessInfo.processInfo.environment["RISK_CORPUS_MISSES"] {
            if target == "1" {
                for miss in misses { print(miss) }
            } else {
                try (misses.joined(separator: "\n") + "\n").write(toFile: "\(target)/\(file).misses.txt", atomically: true, encoding: .utf8)
            }
        }
        return rows
    }

    @Test func eachModelReachesNinetyPercentPrecisionAndRecall() throws {
        #expect(try RiskFixtures.corpus("risk-corpus.json").count >= 600)
        for r in try Self.measure("risk-corpus.json") {
            #expect(r.precision >= 0.9, "\(r.model.rawValue) precision \(r.precision)")
            #expect(r.recall >= 0.9, "\(r.model.rawValue) recall \(r.recall)")
        }
    }

    /// The held-out wording (not used to tune the models): measured and printed, not held to the goal — its
    /// numbers are the honest estimate docs/RISK.md reports.
    @Test func heldOutWordingIsMeasured() throws {
        let rows = try Self.measure("risk-corpus-holdout.json")
        #expect(rows.count == RiskModelID.allCases.count)
    }

    static func text(_ o: Observation) -> String {
        switch o.detail {
        case .advertisement(let a): "\(a.text) | 文号 \(a.approvalNumber ?? "-")"
        case .listing(let l): "\(l.productName) | \(l.text) | rx \(l.prescription) checked \(l.prescriptionChecked.map(String.init) ?? "-")"
        case .complaint(let c): c.text
        case .licence(let l): l.number
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
