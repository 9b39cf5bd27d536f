import Foundation
import HubModel
import Normalization
import Testing

/// Department profiles load from `Mappings/departments/`, and a wrong one is refused with file and line.
@Suite("Department profiles")
struct ProfileLoaderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the shipped profiles load")
    func shipped() throws {
        let profiles = try ProfileLoader.loadAll(from: Self.root.appendingPathComponent("Mappings/departments"))
        #expect(profiles.count >= 8)
        #expect(profiles["HY-SCJG"]?.catalogDepartment == "市场监管")
        #expect(profiles["HY-SCJG"]?.fields["jcjg"] == "inspection.result")
        #expect(profiles["HY-YJ"]?.items.count == 2)
    }

    @Test(
        "errors name the file and line",
        arguments: [
            ("code: A\nname: B\ncatalogDepartment: C\nfields:\n  jcjg: inspection.reslt\n", 5, "not a canonical record field"),
            ("code: A\nname: B\ncatalogDepartment: C\nagency:\n  code: 91330105MA2KER1H4M\n", 5, "not a valid USCC"),
            ("code: A\nname: B\n", 1, "catalogDepartment is required"),
            ("code: A\nname: B\ncatalogDepartment: C\ncolour: red\n", 4, "unknown key"),
            ("code: A\nname: [B\n", 3, "not valid YAML"),
            (
                "code: A\nname: B\ncatalogDepartment: C\nitems:\n  - localCode: X\n    catalogCode: \"123\"\n    implementationCode: \"Y\"\n", 6,
                "14 digits"
            ),
        ]
    )
    func errors(_ yaml: String, _ line: Int, _ reason: String) {
        #expect {
            try ProfileLoader.parse(yaml, file: "p.yaml")
        } throws: { error in
            guard let problem = error as? ProfileLoader.Problem else { return false }
            return problem.file == "p.yaml" && problem.line == line && problem.reason.contains(reason)
        }
    }

    @Test("the shipped national dictionaries load, and a missing folder is an error, not empty dictionaries")
    func dictionaries() throws {
        let dictionaries = try DictionaryLoader.load(from: Self.root.appendingPathComponent("Mappings/dictionaries"))
        #expect(dictionaries.entries.count >= 10)
        #expect(dictionaries.contains("inspection_result", "01"))
        #expect(throws: DictionaryLoader.Unreadable.self) {
            try DictionaryLoader.load(from: Self.root.appendingPathComponent("Mappings/no-such-folder"))
        }
    }
}
