import HubModel
import HubXML
import NIOCore

/// `application/xml` (and `text/xml`) in UTF-8, GBK, GB18030 or GB2312: parsed safely by libxml2 and mapped
/// to the same document tree as JSON, so the per-record answers are the same.
///
/// With a compiled XSD (`Schemas/record-v1.xsd`) every XML request is also validated against it. The record
/// reader stays the authority for the answer (so XML and JSON answers are the same); a record the reader
/// accepts but the XSD refuses is rejected with `schema_violation` and the XSD's message, because the two
/// must never disagree silently.
public struct XMLBodyDecoder: RecordBodyDecoder {
    public let mediaTypes = ["application/xml", "text/xml"]
    let schema: RecordSchemaValidator?

    public init(schema: RecordSchemaValidator? = nil) { self.schema = schema }

    public func decode(_ body: ByteBuffer, charset: String?) throws(BatchError) -> JSONValue {
        try decodeBatch(body, charset: charset).document
    }

    public func decodeBatch(_ body: ByteBuffer, charset: String?) throws(BatchError) -> (document: JSONValue, recordErrors: [Int: [FieldError]]) {
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
        var recordErrors: [Int: [FieldError]] = [:]
        for v in violations {
            guard let record = v.record else { continue }
            recordErrors[record, default: []].append(
                FieldError(
                    path: v.path,
                    code: "schema_violation",
                    zh: "不符合 XML Schema（record-v1.xsd，第 \(v.line) 行）：\(v.message)",
                    en: "does not conform to record-v1.xsd (line \(v.line)): \(v.message)"
                )
            )
        }
        do {
            return (try RecordXML.batch(root), recordErrors)
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
    }
}
