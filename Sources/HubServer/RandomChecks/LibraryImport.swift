import Foundation
import HubModel
import HubStore
import Supervision

/// `hub random-checks import KIND FILE --department CODE`: a CSV (or XLSX) library file through the same reader, rules and
/// store write as a push, in batches of the push API's size (each batch one transaction), with progress.
public struct LibraryImport: Sendable {
    public let service: LibraryService

    public init(service: LibraryService) { self.service = service }

    /// What an import did: counts, and one Chinese line per refused row naming its file line.
    public struct Report: Sendable {
        public var rows = 0
        public var accepted = 0
        public var unchanged = 0
        public var rejected = 0
        public var encoding = "UTF-8"
        /// `第 12 行 id：统一社会信用代码第18位校验码错误（invalid_check_digit）`.
        public var refusals: [String] = []
        /// Every rejected row's line and errors (for tests and scripts).
        public var rejectedLines: [(line: Int, errors: [FieldError])] = []

        public var summaryZh: String {
            "共 \(rows) 行：写入 \(accepted)，未变 \(unchanged)，拒收 \(rejected)（文件编码 \(encoding)）"
        }
    }

    /// A whole-file refusal (unreadable, bad header), in Chinese for the operator.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public var errors: [FieldError]
        public var description: String { errors.map { "\($0.path.isEmpty ? "" : $0.path + "：")\($0.messageZh)（\($0.code)）" }.joined(separator: "\n") }
    }

    /// The file as a table: an XLSX workbook's first sheet (by its ZIP signature), or CSV text in UTF-8 or GB18030.
    static func table(_ bytes: [UInt8], kind: LibraryKind, report: inout Report) throws -> LibraryCSV.Table {
        if XLSXReader.isXLSX(bytes) {
            report.encoding = "XLSX"
            let rows: [(line: Int, fields: [String])]
            do { rows = try XLSXReader.rows(bytes) } catch {
                throw Refused(errors: [
                    FieldError(
                        path: "",
                        code: "unreadable_xlsx",
                        zh: "无法读取 XLSX 文件：\(error.reason)",
                        en: "cannot read the XLSX file: \(error.reason)"
                    )
                ])
            }
            do { return try LibraryCSV.table(rows, kind: kind) } catch { throw Refused(errors: error.errors) }
        }
        guard let (text, encoding) = TextFileDecoding.decode(bytes) else {
            throw Refused(errors: [
                FieldError(path: "", code: "unsupported_charset", zh: "文件既不是 UTF-8 也不是 GB18030 编码", en: "the file is neither UTF-8 nor GB18030")
            ])
        }
        report.encoding = encoding.rawValue
        do { return try LibraryCSV.read(text, kind: kind) } catch { throw Refused(errors: error.errors) }
    }

    /// Imports `bytes` (a CSV or XLSX file's content) into library `kind` for department `department`. `progress` is told
    /// the rows done and the total after each batch.
    public func run(
        _ bytes: [UInt8],
        kind: LibraryKind,
        department: String,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> Report {
        var report = Report()
        let table = try Self.table(bytes, kind: kind, report: &report)
        report.rows = table.rows.count
        let size = max(1, service.reader.maxRows)
        var start = 0
        while start < table.rows.count {
            let end = min(start + size, table.rows.count)
            let outcomes = (start..<end).map { i in service.reader.read(table.rows[i], kind: kind, path: "\(kind.rawValue)[\(i - start)]") }
            let results = try await service.write(outcomes, kind: kind, department: department)
            for result in results {
                let line = table.lines[start + result.index]
                switch result.status {
                case .accepted: report.accepted += 1
                case .unchanged: report.unchanged += 1
                case .rejected:
                    report.rejected += 1
                    report.rejectedLines.append((line, result.errors))
                    for error in result.errors {
                        let field = error.path.split(separator: ".", maxSplits: 1).dropFirst().first.map { " \($0)" } ?? ""
                        report.refusals.append("第 \(line) 行\(field)：\(error.messageZh)（\(error.code)）")
                    }
                }
            }
            start = end
            progress(start, table.rows.count)
        }
        return report
    }
}
