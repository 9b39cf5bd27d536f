import HubModel
import NIOCore

/// The decoding seam of the front door: a wire form turns a body into the common document tree, which
/// `RecordReader` then reads the same way whatever the wire form was.
///
/// JSON is here; XML (with XSD validation and GB18030) plugs in as another `RecordBodyDecoder` selected
/// by media type, and gets identical per-record answers for free.
public protocol RecordBodyDecoder: Sendable {
    /// Media types this decoder takes, e.g. `application/json`.
    var mediaTypes: [String] { get }
    /// The document, or whole-request errors (line, column, path) when the body cannot be read.
    func decode(_ body: ByteBuffer, charset: String?) throws(BatchError) -> JSONValue

    /// The document and, by record index, errors the wire form found that the record reader does not check
    /// (XSD violations). Defaults to none.
    func decodeBatch(_ body: ByteBuffer, charset: String?) throws(BatchError) -> (document: JSONValue, recordErrors: [Int: [FieldError]])
}

extension RecordBodyDecoder {
    public func decodeBatch(_ body: ByteBuffer, charset: String?) throws(BatchError) -> (document: JSONValue, recordErrors: [Int: [FieldError]]) {
        (try decode(body, charset: charset), [:])
    }
}

/// `application/json` in UTF-8 (RFC 8259 allows nothing else on the wire).
public struct JSONBodyDecoder: RecordBodyDecoder {
    public let mediaTypes = ["application/json"]
    public init() {}

    public func decode(_ body: ByteBuffer, charset: String?) throws(BatchError) -> JSONValue {
        if let charset, !["utf-8", "utf8"].contains(charset.lowercased()) {
            throw BatchError([
                FieldError(
                    path: "",
                    code: "unsupported_charset",
                    zh: "JSON 请求体只接受 UTF-8 编码",
                    en: "a JSON body must be UTF-8"
                )
            ])
        }
        do {
            return try JSONParser().parse(body.readableBytesView)
        } catch {
            throw BatchError([
                FieldError(
                    path: "",
                    code: "malformed_json",
                    zh: "JSON 格式错误（第 \(error.line) 行第 \(error.column) 列）：\(error.reason)",
                    en: "malformed JSON at line \(error.line), column \(error.column): \(error.reason)"
                )
            ])
        }
    }
}
