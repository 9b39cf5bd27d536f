import Foundation
import HubModel
import HubStore
import HubXML
import NIOCore
import Supervision

/// Takes a library batch from bytes to per-row results, one way for pushes and imports: decode (JSON, or XML
/// validated against `Schemas/random-check-libraries-v1.xsd`), read every row (`LibraryReader`), then check and
/// write them in one transaction (`LibraryStore.write`, which asks `LibraryRules`).
public struct LibraryService: Sendable {
    public let store: LibraryStore
    /// The compiled XSD of the XML form (nil when the file is absent: XML is then read without it).
    let schema: RecordSchemaValidator?
    public let reader: LibraryReader
    /// Longest a batch's write may take before the request is answered 503.
    public var writeDeadline: Duration = .seconds(60)

    public init(store: LibraryStore, schema: RecordSchemaValidator?, maxRows: Int = 5000) {
        self.store = store
        self.schema = schema
        self.reader = LibraryReader(maxRows: maxRows)
    }

    /// Reads and writes a pushed batch. Throws `BatchError` for problems with the request as a whole.
    public func push(body: ByteBuffer, contentType: String?, kind: LibraryKind, department: String) async throws -> [LibraryResult] {
        let parts = (contentType ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let media = parts.first?.lowercased() ?? ""
        let charset = parts.dropFirst().first { $0.lowercased().hasPrefix("charset=") }.map {
            String($0.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        let outcomes: [LibraryReader.Outcome]
        switch media {
        case "application/json":
            outcomes = try reader.read(try JSONBodyDecoder().decode(body, charset: charset), kind: kind)
        case "application/xml", "text/xml":
            outcomes = try readXML(body, charset: charset, kind: kind)
        default:
            throw BatchError([
                FieldError(
                    path: "",
                    code: "unsupported_media_type",
                    zh: "不支持的 Content-Type，可用：application/json, application/xml, text/xml",
                    en: "unsupported Content-Type; use one of: application/json, application/xml, text/xml"
                )
            ])
        }
        return try await write(outcomes, kind: kind, department: department)
    }

    /// Writes rows already read, in one transaction, within the write deadline.
    public func write(_ outcomes: [LibraryReader.Outcome], kind: LibraryKind, department: String) async throws -> [LibraryResult] {
        let store = self.store
        return try await Deadline.run(writeDeadline, operation: "library write") {
            try await store.write(outcomes, kind: kind, signer: department)
        }
    }

    /// The XML form: parsed safely, validated against the XSD, mapped to the JSON tree and read; a row the reader
    /// takes but the XSD refuses is rejected with `schema_violation` (the two must never disagree silently).
    func readXML(_ body: ByteBuffer, charset: String?, kind: LibraryKind) throws(BatchError) -> [LibraryReader.Outcome] {
        let root: XMLNode
        let violations: [RecordSchemaValidator.Violation]
        do {
            (root, violations) = try SafeXMLParser().parse(Array(body.readableBytesView), charset: charset, validatingWith: schema)
        } catch {
            let zh =
                switch error.code {
                case "doctype_refused": "不接受含 DOCTYPE 或实体声明的 XML 文档"
                case "unsupported_charset": "XML 编码只接受 UTF-8、GBK、GB18030、GB2312"
                case "too_deep": "XML 元素嵌套过深"
                case "too_large": "XML 文档过大"
                default: "XML 格式错误"
                }
            throw BatchError([
                FieldError(
                    path: "",
                    code: error.code,
                    zh: "\(zh)（第 \(error.line) 行第 \(error.column) 列）",
                    en: "\(error.reason) at line \(error.line), column \(error.column)"
                )
            ])
        }
        let document: JSONValue
        do {
            document = try LibraryXML.batch(root, root: kind.rawValue, row: kind.rowElement, listFields: LibraryFields.listNames(kind))
        } catch {
            throw BatchError([
                FieldError(
                    path: error.path,
                    code: error.code,
                    zh: "XML 结构错误（第 \(error.line) 行）：\(error.reason)",
                    en: "\(error.reason) (line \(error.line))"
                )
            ])
        }
        var outcomes = try reader.read(document, kind: kind)
        var whole: [FieldError] = []
        for v in violations {
            let error = FieldError(
                path: v.path,
                code: "schema_violation",
                zh: "不符合 XML Schema（random-check-libraries-v1.xsd，第 \(v.line) 行）：\(v.message)",
                en: "does not conform to random-check-libraries-v1.xsd (line \(v.line)): \(v.message)"
            )
            guard let index = LibraryXML.rowIndex(v.path, root: kind.rawValue), outcomes.indices.contains(index) else {
                whole.append(error)
                continue
            }
            switch outcomes[index] {
            case .valid: outcomes[index] = .invalid([error])
            case .invalid(let errors) where errors.first?.code == "schema_violation": outcomes[index] = .invalid(errors + [error])
            case .invalid: break  // the reader's own answer stands
            }
        }
        guard whole.isEmpty else { throw BatchError(whole) }
        return outcomes
    }
}

extension LibraryResult {
    /// The JSON form of a result in the push API's answer.
    var json: JSONValue {
        var m: [(String, JSONValue)] = [("index", .number(String(index))), ("status", .string(status.rawValue))]
        if let key { m.append(("key", .string(key))) }
        if let operation { m.append(("operation", .string(operation.rawValue))) }
        if let ledgerSeq { m.append(("ledgerSeq", .number(String(ledgerSeq)))) }
        if !errors.isEmpty { m.append(("errors", .array(errors.map(\.json)))) }
        return .object(m)
    }
}
