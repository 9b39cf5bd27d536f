import Foundation
import HubModel
import Testing

@testable import HubServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Table files as ops hand them to `hub catalog import` and `hub mappings match`.
@Suite("Table files: CSV in UTF-8 or GBK, XLSX")
struct TableFileTests {
    /// GBK bytes of `text` (GB18030 agrees with GBK on every character used here).
    static func gbk(_ text: String) -> [UInt8] {
        let cd = iconv_open("GBK", "UTF-8")
        precondition(cd != iconv_t(bitPattern: -1))
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        var inLeft = input.count
        var outLeft = output.count
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                _ = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            }
        }
        return output[..<(output.count - outLeft)].map { UInt8(bitPattern: $0) }
    }

    static let csv = "local_code,local_name,item_type,legal_basis\nL-1,食品经营检查,行政检查,食品安全法第110条\n"

    @Test("GBK is detected, UTF-8 passes, forcing the wrong encoding refuses")
    func encodings() throws {
        let bytes = Self.gbk(Self.csv)
        #expect(String(validating: bytes, as: UTF8.self) == nil)
        let detected = try TableFile.csvText(bytes)
        #expect(detected.text == Self.csv)
        #expect(detected.format == "GB18030")
        #expect(try TableFile.csvText(bytes, encoding: .gb18030).text == Self.csv)
        #expect(try TableFile.csvText(Array(Self.csv.utf8)).format == "UTF-8")
        #expect(throws: TableFile.Unreadable.self) { try TableFile.csvText(bytes, encoding: .utf8) }
    }

    @Test("an XLSX workbook's first sheet becomes the CSV the readers take, Excel row numbers kept")
    func xlsx() throws {
        let book = XLSXWriter.workbook(
            sheet: "事项",
            header: ["local_code", "local_name", "item_type", "legal_basis"],
            rows: [["L-1", "食品经营检查", "行政检查", "《食品安全法》第110条，第87条"], ["L-2", "带\"引号\"的名称", "行政处罚", "药品管理法 第117条"]]
        )
        let (text, format) = try TableFile.csvText(book)
        #expect(format == "XLSX")
        let table = try CSV.records(text)
        #expect(table.rows.map(\.line) == [2, 3])
        #expect(table.rows[0].values["legal_basis"] == "《食品安全法》第110条，第87条")
        #expect(table.rows[1].values["local_name"] == "带\"引号\"的名称")
        #expect(TableFile.csv([(1, ["a"]), (4, ["b"])]) == "a\n\n\nb\n")
        #expect(throws: TableFile.Unreadable.self) { try TableFile.csvText([0x50, 0x4B, 0x03, 0x04, 0, 0]) }
    }
}
