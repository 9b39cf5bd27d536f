import HubModel
import HubXML
import NIOCore

/// `application/xml` (and `text/xml`) in UTF-8, GBK, GB18030 or GB2312: parsed safely by libxml2 and mapped
/// to the same document tree as JSON, so the per-record answers are the same.
public struct XMLBodyDecoder: RecordBodyDecoder {
    public let mediaTypes = ["application/xml", "text/xml"]
    public init() {}

    public func decode(_ body: ByteBuffer, charset: String?) throws(BatchError) -> JSONValue {
        let root: XMLNode
        do {
            root = try SafeXMLParser().parse(Array(body.readableBytesView), charset: charset)
        } catch {
            let zh = switch error.code {
            case "doctype_refused": "不接受含 DOCTYPE 或实体声明的 XML 文档"
            case "unsupported_charset": "XML 编码只接受 UTF-8、GBK、GB18030、GB2312"
            case "too_deep": "XML 元素嵌套过深"
            case "too_large": "XML 文档过大"
            default: "XML 格式错误"
            }
            throw BatchError([FieldError(path: "", code: error.code, zh: "\(zh)（第 \(error.line) 行第 \(error.column) 列）",
                                         en: "\(error.reason) at line \(error.line), column \(error.column)")])
        }
        do {
            return try RecordXML.batch(root)
        } catch {
            throw BatchError([FieldError(path: error.path, code: error.code, zh: "XML 结构错误（第 \(error.line) 行）：\(error.reason)",
                                         en: "\(error.reason) (line \(error.line))")])
        }
    }
}
