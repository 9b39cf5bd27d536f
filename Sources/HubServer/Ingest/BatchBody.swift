import Foundation
import HubModel
import HubXML
import NIOCore
import Supervision

/// What the batch pushes share about their bodies (records, library rows, case events): the media
/// type and charset of `Content-Type`, and a safe, schema-validated parse of the XML form with refusals in the
/// push API's words.
enum BatchBody {
    /// The media type (lowercased) and the `charset` parameter of a `Content-Type` header.
    static func media(_ contentType: String?) -> (media: String, charset: String?) {
        let parts = (contentType ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let charset = parts.dropFirst().first { $0.lowercased().hasPrefix("charset=") }.map {
            String($0.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return (parts.first?.lowercased() ?? "", charset)
    }

    static let unsupportedMediaType = BatchError([
        FieldError(
            path: "",
            code: "unsupported_media_type",
            zh: "不支持的 Content-Type，可用：application/json, application/xml, text/xml",
            en: "unsupported Content-Type; use one of: application/json, application/xml, text/xml"
        )
    ])

    /// Parses an XML body (no DOCTYPE, a declared charset among UTF-8/GBK/GB18030) and validates it against
    /// `schema`; a document that cannot be parsed is refused as a whole with its line and column.
    static func parseXML(
        _ body: ByteBuffer,
        charset: String?,
        schema: RecordSchemaValidator?
    ) throws(BatchError) -> (
        XMLNode, [RecordSchemaValidator.Violation]
    ) {
        try parseXML(body) { bytes throws(SafeXMLParser.Failure) in
            try SafeXMLParser().parse(bytes, charset: charset, validatingWith: schema)
        }
    }

    /// The same refusals for a reader that parses the body its own way (`RecordXML.parse`).
    static func parseXML<T>(
        _ body: ByteBuffer,
        _ parse: ([UInt8]) throws(SafeXMLParser.Failure) -> T
    ) throws(BatchError) -> T {
        do {
            return try parse(Array(body.readableBytesView))
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
    }

    /// A structural problem of the XML form (wrong root, repeated element) as a whole-batch refusal.
    static func structure(_ error: RecordXML.Failure) -> BatchError {
        BatchError([
            FieldError(
                path: error.path,
                code: error.code,
                zh: "XML 结构错误（第 \(error.line) 行）：\(error.reason)",
                en: "\(error.reason) (line \(error.line))"
            )
        ])
    }

    /// A schema violation of the XML form.
    static func violation(_ v: RecordSchemaValidator.Violation, schemaFile: String) -> FieldError {
        FieldError(
            path: v.path,
            code: "schema_violation",
            zh: "不符合 XML Schema（\(schemaFile)，第 \(v.line) 行）：\(v.message)",
            en: "does not conform to \(schemaFile) (line \(v.line)): \(v.message)"
        )
    }

    /// Folds the XSD's violations into the reader's per-row outcomes: a row the reader takes but the XSD refuses
    /// is rejected with `schema_violation` (the two must never disagree silently); a violation outside any row
    /// refuses the batch. `rowIndex` finds the row a violation's path points into.
    static func merge<Outcome: BatchOutcome>(
        _ violations: [RecordSchemaValidator.Violation],
        into outcomes: inout [Outcome],
        schemaFile: String,
        rowIndex: (String) -> Int?
    ) throws(BatchError) {
        var whole: [FieldError] = []
        for v in violations {
            let error = violation(v, schemaFile: schemaFile)
            guard let index = rowIndex(v.path), outcomes.indices.contains(index) else {
                whole.append(error)
                continue
            }
            switch outcomes[index].rowErrors {
            case nil: outcomes[index] = .invalid([error])
            case let errors? where errors.first?.code == "schema_violation": outcomes[index] = .invalid(errors + [error])
            case _?: break  // the reader's own answer stands
            }
        }
        guard whole.isEmpty else { throw BatchError(whole) }
    }
}

/// A row's outcome as a reader gives it: valid, or refused with its errors.
protocol BatchOutcome {
    /// The errors of a refused row; nil for a valid one.
    var rowErrors: [FieldError]? { get }
    static func invalid(_ errors: [FieldError]) -> Self
}

extension LibraryReader.Outcome: BatchOutcome {
    var rowErrors: [FieldError]? { if case .invalid(let errors) = self { errors } else { nil } }
}

extension CaseEventReader.Outcome: BatchOutcome {
    var rowErrors: [FieldError]? { if case .invalid(let errors) = self { errors } else { nil } }
}
