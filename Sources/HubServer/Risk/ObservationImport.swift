import Foundation
import HubModel
import HubStore
import HubXML
import NIOCore
import Supervision

/// `hub risk observations import FILE --department CODE`: a file of observations through the same reader and
/// store as `POST /api/v1/risk/observations`, for a department as if it had signed them.
///
/// - `.json`: a push body (`{"observations":[…]}`), `.xml`: an `<observations>` document (UTF-8, GBK or GB18030
///   as declared, checked against the XSD) — one batch each, so at most 5,000 rows;
/// - `.csv` (UTF-8 or GB18030): a header row of the members' paths (`observationId`, `kind`, `observedOn`,
///   `subject.uscc`, `subject.name`, `regionCode`, `listing.prescription`, `licence.validUntil` …), one row per
///   observation, empty cells left out (cells are text: the reader takes booleans and integers from it, as from XML); any number of rows,
///   5,000 per transaction. Refusals name the file's line.
public struct ObservationImport: Sendable {
    public let service: ObservationService

    public init(service: ObservationService) { self.service = service }

    public struct Report: Sendable {
        public var rows = 0
        public var accepted = 0
        public var duplicate = 0
        public var rejected = 0
        /// `第 12 行 subject.uscc：统一社会信用代码第18位校验码错误（invalid_check_digit）` (CSV), `第 3 条 …` (JSON, XML).
        public var refusals: [String] = []

        public var summaryZh: String { "共 \(rows) 条：写入 \(accepted)，重复 \(duplicate)，拒收 \(rejected)" }
    }

    /// A whole-file refusal, in Chinese for the operator.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public var errors: [FieldError]
        public var description: String { errors.map { "\($0.path.isEmpty ? "" : $0.path + "：")\($0.messageZh)（\($0.code)）" }.joined(separator: "\n") }
    }

    public func run(_ bytes: [UInt8], fileName: String, department: String) async throws -> Report {
        var report = Report()
        switch URL(fileURLWithPath: fileName).pathExtension.lowercased() {
        case "json", "xml":
            let media = fileName.lowercased().hasSuffix(".xml") ? "application/xml" : "application/json"
            let results: [ObservationResult]
            do { results = try await service.push(body: ByteBuffer(bytes: bytes), contentType: media, department: department) } catch let error
                as BatchError
            {
                throw Refused(errors: error.errors)
            }
            tally(results, into: &report) { "第 \($0 + 1) 条" }
        case "csv":
            let (lines, rows) = try Self.csv(bytes)
            let size = max(1, service.reader.maxRows)
            var start = 0
            while start < rows.count {
                let end = min(start + size, rows.count)
                let outcomes: [ObservationReader.Outcome]
                do {
                    outcomes = try service.reader.read(.object([("observations", .array(Array(rows[start..<end])))]), department: department)
                } catch {
                    throw Refused(errors: error.errors)
                }
                let offset = start
                tally(try await service.write(outcomes, department: department), into: &report) { "第 \(lines[offset + $0]) 行" }
                start = end
            }
        default:
            throw Refused(errors: [
                FieldError(path: "", code: "unsupported_file", zh: "只接受 .csv、.json 或 .xml 文件", en: "a .csv, .json or .xml file")
            ])
        }
        return report
    }

    func tally(_ results: [ObservationResult], into report: inout Report, place: (Int) -> String) {
        for result in results {
            report.rows += 1
            switch result.status {
            case .accepted: report.accepted += 1
            case .duplicate: report.duplicate += 1
            case .rejected:
                report.rejected += 1
                for error in result.errors {
                    let field = error.path.split(separator: ".", maxSplits: 1).dropFirst().first.map { " \($0)" } ?? ""
                    report.refusals.append("\(place(result.index))\(field)：\(error.messageZh)（\(error.code)）")
                }
            }
        }
    }

    /// The rows of a CSV file as the JSON tree's observations, with their line numbers.
    static func csv(_ bytes: [UInt8]) throws -> (lines: [Int], rows: [JSONValue]) {
        guard let (text, _) = TextFileDecoding.decode(bytes) else {
            throw Refused(errors: [
                FieldError(path: "", code: "unsupported_charset", zh: "文件既不是 UTF-8 也不是 GB18030 编码", en: "the file is neither UTF-8 nor GB18030")
            ])
        }
        let table: [CSV.Row]
        do { table = try CSV.parse(text) } catch {
            throw Refused(errors: [FieldError(path: "", code: "malformed_csv", zh: "CSV 格式错误：\(error)", en: "malformed CSV: \(error)")])
        }
        guard let header = table.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }), !header.isEmpty else {
            throw Refused(errors: [FieldError(path: "", code: "empty", zh: "文件中没有表头", en: "the file has no header row")])
        }
        var lines: [Int] = []
        var rows: [JSONValue] = []
        for row in table.dropFirst() where !row.fields.allSatisfy({ $0.isEmpty }) {
            var tree: [(String, JSONValue)] = []
            for (column, cell) in zip(header, row.fields) where !cell.isEmpty {
                insert(cell, at: column.split(separator: ".").map(String.init), into: &tree)
            }
            lines.append(row.line)
            rows.append(.object(tree))
        }
        return (lines, rows)
    }

    /// Puts a cell at its dotted path (`listing.prescription`).
    static func insert(_ cell: String, at path: [String], into members: inout [(String, JSONValue)]) {
        guard let name = path.first else { return }
        guard path.count > 1 else {
            members.append((name, .string(cell)))
            return
        }
        var inner: [(String, JSONValue)] = []
        if let i = members.firstIndex(where: { $0.0 == name }), case .object(let existing) = members[i].1 {
            inner = existing
            members.remove(at: i)
        }
        insert(cell, at: Array(path.dropFirst()), into: &inner)
        members.append((name, .object(inner)))
    }
}
