import Foundation
import HubModel
import Testing

/// The one reader of the province's catalog files (the store's import, the matcher's evaluation and the
/// simulator all read through it).
@Suite("Catalog files")
struct CatalogFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let header = "catalog_code,name,item_type,department,legal_basis"

    @Test("the sample catalog and implementation list read, three catalog items retired")
    func sample() throws {
        let dir = Self.root.appendingPathComponent("Mappings/catalog")
        let items = try CatalogFile.items(try String(contentsOf: dir.appendingPathComponent("catalog.csv"), encoding: .utf8), file: "catalog.csv")
        #expect(items.count >= 150)
        #expect(items.filter { $0.status == .retired }.count == 3)
        let implementations = try CatalogFile.implementations(
            try String(contentsOf: dir.appendingPathComponent("implementation.csv"), encoding: .utf8),
            file: "implementation.csv"
        )
        #expect(!implementations.isEmpty)
        #expect(implementations.allSatisfy { $0.code.hasPrefix($0.agencyCode) })
    }

    @Test("a malformed catalog file is refused with file and line")
    func malformed() throws {
        let csv = "\(Self.header)\n43000000000001,对某事项的检查,行政检查,市场监管,《食品安全法》第一百一十条\n4300000000000X,坏编码,行政检查,市场监管,《食品安全法》第一百一十条\n"
        #expect { try CatalogFile.items(csv, file: "bad.csv") } throws: { error in
            "\(error)".hasPrefix("bad.csv:3:")
        }
        let wrongType = "\(Self.header)\n43000000000001,对某事项的检查,检查,市场监管,《食品安全法》第一百一十条\n"
        #expect(throws: CatalogFile.Problem.self) { try CatalogFile.items(wrongType, file: "t.csv") }
        let twice = "\(Self.header)\n43000000000001,甲,行政检查,市场监管,《某法》第一条\n43000000000001,乙,行政检查,市场监管,《某法》第二条\n"
        #expect(throws: CatalogFile.Problem(file: "t.csv", line: 3, reason: "catalog_code 43000000000001 appears twice")) {
            try CatalogFile.items(twice, file: "t.csv")
        }
        #expect(throws: CatalogFile.Problem(file: "t.csv", line: 1, reason: "missing column legal_basis")) {
            try CatalogFile.items("catalog_code,name,item_type,department\n", file: "t.csv")
        }
    }

    @Test("a legal basis may span lines inside quotes")
    func multiline() throws {
        let multiline = "\(Self.header)\n43000000000001,对某事项的检查,行政检查,市场监管,\"《食品安全法》第一百一十条\n《食品安全法实施条例》第六十条\"\n"
        let rows = try CatalogFile.items(multiline, file: "m.csv")
        #expect(rows.count == 1 && rows[0].legalBasis.contains("\n"))
    }

    @Test(
        "one definition of the status column: every spelling the province uses, an empty cell active, anything else refused",
        arguments: [
            ("", CatalogStatus.active), ("active", .active), ("在用", .active), ("有效", .active),
            ("retired", .retired), ("停用", .retired), ("已取消", .retired), ("废止", .retired), (" 停用 ", .retired),
        ]
    )
    func status(_ spelling: String, _ expected: CatalogStatus) throws {
        let csv = "\(Self.header),status\n43000000000001,甲,行政检查,市场监管,《某法》第一条,\(spelling)\n"
        #expect(try CatalogFile.items(csv, file: "s.csv").first?.status == expected)
    }

    @Test("an unknown status is an error, not silently active")
    func unknownStatus() {
        let csv = "\(Self.header),status\n43000000000001,甲,行政检查,市场监管,《某法》第一条,暂停\n"
        #expect(throws: CatalogFile.Problem(file: "s.csv", line: 2, reason: "status \"暂停\" is neither active nor retired")) {
            try CatalogFile.items(csv, file: "s.csv")
        }
    }

    @Test("optional columns: parent code, levels and effective date are read and checked")
    func optionalColumns() throws {
        let header = "\(Self.header),parent_code,level,effective_from"
        let good = "\(header)\n43000000000002,乙,行政处罚,市场监管,《某法》第二条,43000000000001,3|4,2026-12-01\n"
        let item = try #require(try CatalogFile.items(good, file: "o.csv").first)
        #expect(
            item
                == CatalogItem(
                    code: "43000000000002",
                    name: "乙",
                    itemType: .penalty,
                    department: "市场监管",
                    legalBasis: "《某法》第二条",
                    parentCode: "43000000000001",
                    levels: "3|4",
                    status: .active,
                    effectiveFrom: "2026-12-01"
                )
        )
        #expect(item.content.effectiveFrom == nil)
        let badDate = "\(header)\n43000000000002,乙,行政处罚,市场监管,《某法》第二条,,3,2026-13-01\n"
        #expect(throws: CatalogFile.Problem.self) { try CatalogFile.items(badDate, file: "o.csv") }
    }

    @Test("an implementation list is told from a catalog by its header, and its codes must agree")
    func implementation() throws {
        let dir = Self.root.appendingPathComponent("Mappings/catalog")
        let text = try String(contentsOf: dir.appendingPathComponent("implementation.csv"), encoding: .utf8)
        guard case .implementation(let items) = try CatalogFile.read(text, file: "i.csv") else {
            Issue.record("an implementation list read as a catalog")
            return
        }
        let first = try #require(items.first)
        guard case .catalog = try CatalogFile.read("\(Self.header)\n", file: "c.csv") else {
            Issue.record("a catalog read as an implementation list")
            return
        }
        let mismatch =
            "implementation_code,catalog_code,agency_code,agency_name,region_code\n\(first.code),\(first.catalogCode),91430400MA4L0000XX,某局,430400\n"
        #expect(throws: CatalogFile.Problem(file: "i.csv", line: 2, reason: "implementation_code does not start with agency_code")) {
            try CatalogFile.implementations(mismatch, file: "i.csv")
        }
    }
}
