import Foundation
import HubModel
import HubServer
import HubStore
import Testing

/// `hub catalog import` and `hub mappings match` read what Excel on a Chinese Windows saves: CSV in GBK/GB18030
/// (detected, or forced with `--encoding`) and XLSX workbooks (first sheet, header row as in the CSV).
@Suite(
    "Catalog and mapping files in GBK and XLSX",
    .enabled(if: FileManager.default.isExecutableFile(atPath: hubExecutable.path), "needs the hub executable (swift build --build-tests)")
)
struct CatalogFileFormatTests {
    static func temporary(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    func hub(_ t: TestHub, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try CommandLineFourEyesTests.hub(arguments, databaseURL: t.databaseURL, password: nil)
    }

    @Test("a GBK catalog CSV and an XLSX catalog import; an XLSX of local items matches a bare citation")
    func gbkAndXLSX() async throws {
        let t = try await TestHub.make()
        let header = "catalog_code,name,item_type,department,legal_basis"
        let gbk = try Self.temporary(
            "catalog-gbk.csv",
            XMLSamples.gb18030(header + "\n43999900000001,对测试场所的监督检查,行政检查,市场监管,《湖南省测试场所管理条例》第十二条\n")
        )
        let xlsx = try Self.temporary(
            "catalog.xlsx",
            XLSXWriter.workbook(
                sheet: "目录",
                header: header.split(separator: ",").map(String.init),
                rows: [["43999900000002", "对测试经营者的行政处罚", "行政处罚", "市场监管", "《湖南省测试场所管理条例》第三十条第一款"]]
            )
        )
        let items = try Self.temporary(
            "items.xlsx",
            XLSXWriter.workbook(
                sheet: "本地事项",
                header: ["local_code", "local_name", "item_type", "legal_basis"],
                rows: [
                    ["T-1", "测试场所日常检查", "行政检查", "依据湖南省测试场所管理条例 第12条"],
                    ["T-2", "测试经营处罚", "行政处罚", "湖南省测试场所管理条例第三十条第1款"],
                ]
            )
        )
        defer { for url in [gbk, xlsx, items] { try? FileManager.default.removeItem(at: url) } }

        // Forced UTF-8 refuses the GBK bytes and imports nothing.
        let forced = try hub(t, ["catalog", "import", gbk.path, "--encoding", "utf-8"])
        #expect(forced.status != 0)
        #expect(forced.output.contains("UTF-8"))
        let imported = try hub(t, ["catalog", "import", gbk.path, xlsx.path])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.output.contains("GB18030"))
        #expect(imported.output.contains("XLSX"))
        let forcedGB = try hub(t, ["catalog", "import", gbk.path, "--encoding", "gb18030"])
        #expect(forcedGB.status == 0, "\(forcedGB.output)")
        #expect(forcedGB.output.contains("unchanged 1"))
        try await t.withDatabase { (db: HubDatabase) async throws -> Void in
            #expect(try await count(db, "SELECT count(*)::int FROM catalog_current WHERE code = '43999900000001' AND name = '对测试场所的监督检查'") == 1)
            #expect(
                try await count(
                    db,
                    "SELECT count(*)::int FROM catalog_current WHERE code = '43999900000002' AND legal_refs @> '[{\"instrument\":\"湖南省测试场所管理条例\",\"article\":30}]'"
                ) == 1
            )
        }

        let matched = try hub(t, ["mappings", "match", "--department", "HY-SCJG", "--input", items.path, "--json"])
        #expect(matched.status == 0, "\(matched.output)")
        let lines = matched.output.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""localCode":"T-1","decision":"auto","catalogCode":"43999900000001""#) == true, "\(matched.output)")
        #expect(lines.last?.contains(#""localCode":"T-2","decision":"auto","catalogCode":"43999900000002""#) == true, "\(matched.output)")
    }
}
