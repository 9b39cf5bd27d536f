import Foundation
import HubModel
import Supervision

/// The repository's model files and corpora, read the way the tests need them.
enum RiskFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The five models of `Mappings/risk/`.
    static func models() throws -> RiskModelSet {
        let dir = root.appendingPathComponent("Mappings/risk")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try RiskModelSet.parse(names.map { ("Mappings/risk/\($0)", try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) })
    }

    struct Case {
        var scenario: String
        var observation: Observation
        var facts: RiskFacts
        var expected: Set<RiskModelID>
    }

    struct BadCase: Error, CustomStringConvertible {
        var description: String
    }

    /// `Fixtures/<file>` (scripts/gen_risk_corpus.py). Each observation goes through `ObservationReader`, as a
    /// push would: a corpus row the reader refuses is an error of the corpus.
    static func corpus(_ file: String) throws -> [Case] {
        let bytes = try Data(contentsOf: root.appendingPathComponent("Tests/SupervisionTests/Fixtures/\(file)"))
        let top = try JSONParser().parse(Array(bytes))
        let reader = ObservationReader()
        return try (top["cases"]?.arrayValue ?? []).enumerated().map { index, c in
            let path = "cases[\(index)].observation"
            guard let row = c["observation"], case .valid(let observation) = reader.read(row, department: "HY-SCJG", path: path) else {
                throw BadCase(description: "\(file) \(path): \(c["observation"].map { reader.read($0, department: "HY-SCJG", path: path) } as Any)")
            }
            guard let scenario = c["scenario"]?.stringValue, let f = c["facts"], let expected = c["expected"]?.arrayValue else {
                throw BadCase(description: "\(file) cases[\(index)]: scenario, facts and expected are required")
            }
            return Case(
                scenario: scenario,
                observation: observation,
                facts: try facts(f, "\(file) cases[\(index)].facts"),
                expected: Set(
                    try expected.map { e in
                        guard let id = e.stringValue.flatMap(RiskModelID.init(rawValue:)) else {
                            throw BadCase(description: "\(file) cases[\(index)].expected")
                        }
                        return id
                    }
                )
            )
        }
    }

    static func facts(_ f: JSONValue, _ path: String) throws -> RiskFacts {
        let licences = try (f["licences"]?.arrayValue ?? []).map { l in
            guard let kind = l["kind"]?.stringValue.flatMap(LicenceKind.init(rawValue:)), let number = l["number"]?.stringValue,
                let from = l["validFrom"]?.stringValue.flatMap(CalendarDate.init)
            else { throw BadCase(description: "\(path).licences") }
            return LicenceFact(
                kind: kind,
                number: number,
                validFrom: from,
                validUntil: l["validUntil"]?.stringValue.flatMap(CalendarDate.init),
                revoked: l["revoked"]?.boolValue ?? false
            )
        }
        return RiskFacts(
            licences: licences,
            recentComplaints: f["recentComplaints"]?.intValue ?? 0,
            recentComplaintIds: (f["recentComplaintIds"]?.arrayValue ?? []).compactMap(\.stringValue),
            complaintWindowDays: f["complaintWindowDays"]?.intValue ?? 90
        )
    }
}
