import Foundation

/// A table file ops hand to a command (`hub catalog import`, `hub mappings match`) as the CSV text the readers
/// take: CSV in UTF-8 or GB18030/GBK (what Excel on a Chinese Windows saves), detected or forced, or an XLSX
/// workbook's first sheet (its first row the header, as in the CSV). One reader per format: `TextFileDecoding`
/// and `XLSXReader`, shared with `hub random-checks import`.
package enum TableFile {
    /// The `--encoding` a caller may force for CSV; nil detects (UTF-8 when the bytes are valid UTF-8).
    package enum Encoding: String, CaseIterable, Sendable {
        case utf8 = "utf-8"
        case gb18030
    }

    /// Why a file cannot be read, in Chinese and English for the operator.
    package struct Unreadable: Error, Sendable, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    /// The file's text as CSV and what it was read as (`UTF-8`, `GB18030`, `XLSX`).
    package static func csvText(_ bytes: [UInt8], encoding: Encoding? = nil) throws(Unreadable) -> (text: String, format: String) {
        if XLSXReader.isXLSX(bytes) {
            let rows: [(line: Int, fields: [String])]
            do { rows = try XLSXReader.rows(bytes) } catch {
                throw Unreadable(reason: "无法读取 XLSX 文件 cannot read the XLSX file: \(error.reason)")
            }
            return (csv(rows), "XLSX")
        }
        switch encoding {
        case nil:
            guard let (text, found) = TextFileDecoding.decode(bytes) else {
                throw Unreadable(reason: "文件既不是 UTF-8 也不是 GB18030 编码 the file is neither UTF-8 nor GB18030")
            }
            return (text, found.rawValue)
        case .utf8:
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw Unreadable(reason: "文件不是有效的 UTF-8 编码 the file is not valid UTF-8 (--encoding utf-8)")
            }
            return (text, TextFileDecoding.Encoding.utf8.rawValue)
        case .gb18030:
            guard let text = TextFileDecoding.gb18030(bytes) else {
                throw Unreadable(reason: "文件不是有效的 GB18030 编码 the file is not valid GB18030 (--encoding gb18030)")
            }
            return (text, TextFileDecoding.Encoding.gb18030.rawValue)
        }
    }

    /// Reads a file from disk (the commands' inputs); the reason names the file.
    package static func read(_ path: String, encoding: Encoding? = nil) throws(Unreadable) -> (text: String, format: String) {
        guard let data = FileManager.default.contents(atPath: path) else { throw Unreadable(reason: "\(path): 无法读取文件 cannot read the file") }
        do { return try csvText(Array(data), encoding: encoding) } catch { throw Unreadable(reason: "\(path): \(error.reason)") }
    }

    /// Rows as RFC 4180 CSV. Blank lines stand for the rows Excel left out, so a reader's line numbers are the
    /// sheet's row numbers (until a cell holding a line break shifts them).
    static func csv(_ rows: [(line: Int, fields: [String])]) -> String {
        var out = ""
        var line = 1
        for row in rows {
            while line < row.line {
                out += "\n"
                line += 1
            }
            let fields = row.fields.map { f in
                f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }
            let text = fields.joined(separator: ",")
            out += text + "\n"
            line += 1 + text.filter { $0 == "\n" }.count
        }
        return out
    }
}
