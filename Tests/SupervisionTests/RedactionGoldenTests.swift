import Foundation
import HubModel
import Testing

@testable import Supervision

/// The redaction rules against `Fixtures/redaction-golden.json`: each case an act as a department would push
/// it and the publication expected, written by hand from DOMAIN.md §7 (natural persons, organisations,
/// individual businesses, minors, secrets, free text with IDs, phones, accounts and names).
@Suite struct RedactionGoldenTests {
    struct Golden: Decodable {
        var cases: [Case]
    }

    struct Case: Decodable {
        var name: String
        var kind: String
        var title: String
        var party: Party
        var persons: [String]
        var sensitive: [String]
        var fields: [[String]]
        var flags: [String: Bool]?
        var expect: Expect
    }

    struct Party: Decodable {
        var name: String
        var nature: String
        var idType: String
        var idNumber: String
        var registeredAddress: String?
        var businessAddress: String?
    }

    struct Expect: Decodable {
        var withheld: String?
        var subjectName: String?
        var uscc: String?
        var maskedIdNumber: String?
        var title: String?
        var fields: [String: String]?
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/redaction-golden.json")
        // A missing or broken fixture fails the suite's size test below rather than trapping here.
        guard let data = try? Data(contentsOf: url), let golden = try? JSONDecoder().decode(Golden.self, from: data) else { return [] }
        return golden.cases
    }()

    static func act(_ c: Case) -> PublishableAct {
        PublishableAct(
            kind: PublicationKind(rawValue: c.kind) ?? .penalty,
            title: c.title,
            department: "HY-SCJG",
            agencyName: "衡阳市市场监督管理局",
            party: .init(
                name: c.party.name,
                nature: PartyNature(rawValue: c.party.nature) ?? .otherOrganisation,
                idType: c.party.idType,
                idNumber: c.party.idNumber,
                addresses: [c.party.registeredAddress, c.party.businessAddress].compactMap { $0 }
            ),
            otherPersons: c.persons,
            sensitiveTexts: c.sensitive,
            fields: c.fields.map { PublishableAct.Field($0[0], $0[1], $0[2]) },
            flags: .init(
                minor: c.flags?["minor"] ?? false,
                stateSecret: c.flags?["stateSecret"] ?? false,
                tradeSecret: c.flags?["tradeSecret"] ?? false
            )
        )
    }

    @Test func theFixtureHasAtLeastFortyCases() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases.map(\.name))
    func golden(_ name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let outcome = Redaction.redact(Self.act(c))
        if let reason = c.expect.withheld {
            #expect(outcome == .withheld(WithholdingReason(rawValue: reason)!))
            return
        }
        guard case .published(let p) = outcome else {
            Issue.record("withheld: \(outcome)")
            return
        }
        #expect(p.subjectName == c.expect.subjectName)
        #expect(p.uscc == c.expect.uscc)
        #expect(p.maskedIdNumber == c.expect.maskedIdNumber)
        #expect(p.title == (c.expect.title ?? c.title))
        for (key, value) in c.expect.fields ?? [:] {
            #expect(p.fields.first { $0.key == key }?.value == value, "field \(key)")
        }
    }
}
