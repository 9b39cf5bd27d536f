import CLibXML2
import Foundation
import HubModel

/// Parses XML from outside with libxml2, refusing everything XML parsers are attacked with.
///
/// No network, no DTD loading, no entity substitution (`XML_PARSE_NOENT` would load external entities: XXE),
/// and any document with a DOCTYPE is refused before and after parsing, so entity-expansion bombs and
/// external entities never get a chance. Nesting and size are capped. The encoding comes from the HTTP
/// `charset` or the XML declaration and must be UTF-8, GBK, GB18030 or GB2312 (libxml2 decodes them through
/// iconv). Errors carry line and column.
public struct SafeXMLParser: Sendable {
    public var maxDepth = 32
    public var maxBytes = 16 * 1024 * 1024

    public init() {}

    public struct Failure: Error, Sendable, Equatable {
        public var line: Int
        public var column: Int
        /// A stable machine code: `doctype_refused`, `malformed_xml`, `unsupported_charset`, `too_deep`, `too_large`.
        public var code: String
        public var reason: String
    }

    static let encodings: [String: String] = ["utf-8": "UTF-8", "utf8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030", "gb2312": "GB2312"]

    public func parse(_ bytes: [UInt8], charset: String? = nil) throws(Failure) -> XMLNode {
        try parse(bytes, charset: charset, validatingWith: nil).root
    }

    /// Parses, and validates against `schema` when given (the violations come back; they do not throw).
    public func parse(
        _ bytes: [UInt8],
        charset: String?,
        validatingWith schema: RecordSchemaValidator?
    )
        throws(Failure) -> (root: XMLNode, violations: [RecordSchemaValidator.Violation])
    {
        try read(bytes, charset: charset, validatingWith: schema) { root throws(Failure) in XMLNode(root) }
    }

    /// Parses and validates like `parse`, and hands the root element to `body` in place, while libxml2's tree is
    /// alive: a reader that builds its own values from the tree needs no `XMLNode` copy of it (the record batch's
    /// path, `RecordXML.read`). Nesting and entity references are checked before `body` runs.
    func read<T>(
        _ bytes: [UInt8],
        charset: String?,
        validatingWith schema: RecordSchemaValidator?,
        _ body: (XMLElementView) throws(Failure) -> T
    )
        throws(Failure) -> (root: T, violations: [RecordSchemaValidator.Violation])
    {
        guard bytes.count <= maxBytes else { throw Failure(line: 0, column: 0, code: "too_large", reason: "document larger than \(maxBytes) bytes") }
        guard !bytes.isEmpty else { throw Failure(line: 1, column: 1, code: "malformed_xml", reason: "empty document") }
        // UTF-16 and UTF-32 (by byte-order mark or by a NUL byte next to the first `<`) are not taken: the
        // markup checks below read ASCII-compatible bytes only.
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.prefix(4).contains(0) {
            throw Failure(line: 1, column: 1, code: "unsupported_charset", reason: "UTF-16 and UTF-32 documents are not taken")
        }
        var encoding: String?
        if let charset {
            guard let e = Self.encodings[charset.lowercased()] else {
                throw Failure(line: 0, column: 0, code: "unsupported_charset", reason: "charset \(charset) is not UTF-8, GBK, GB18030 or GB2312")
            }
            encoding = e
        }
        // Every encoding taken is ASCII-compatible, so markup can be looked for in the raw bytes.
        if let declared = Self.declaredEncoding(bytes) {
            guard let e = Self.encodings[declared.lowercased()] else {
                throw Failure(
                    line: 1,
                    column: 1,
                    code: "unsupported_charset",
                    reason: "declared encoding \(declared) is not UTF-8, GBK, GB18030 or GB2312"
                )
            }
            if encoding == nil { encoding = e }
        }
        if let at = Self.find(Array("<!DOCTYPE".utf8), in: bytes) ?? Self.find(Array("<!ENTITY".utf8), in: bytes) {
            let line = bytes[..<at].count { $0 == 0x0A } + 1
            throw Failure(line: line, column: 1, code: "doctype_refused", reason: "documents with a DOCTYPE or entity declarations are refused")
        }
        hub_xml_silence()
        guard let ctxt = xmlNewParserCtxt() else { throw Failure(line: 0, column: 0, code: "malformed_xml", reason: "parser unavailable") }
        defer { xmlFreeParserCtxt(ctxt) }
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue
                | XML_PARSE_NOXINCNODE.rawValue
        )
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                xmlCtxtReadMemory(ctxt, base, Int32(buffer.count), "record.xml", encoding, options)
            }
        }
        guard let doc else {
            let e = hub_xml_ctxt_last_error(ctxt)
            let message = e?.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "not well-formed"
            throw Failure(line: Int(e?.pointee.line ?? 0), column: Int(e?.pointee.int2 ?? 0), code: "malformed_xml", reason: message)
        }
        defer { xmlFreeDoc(doc) }
        guard xmlGetIntSubset(doc) == nil, doc.pointee.extSubset == nil else {
            throw Failure(line: 1, column: 1, code: "doctype_refused", reason: "documents with a DOCTYPE are refused")
        }
        // The declaration as libxml2 read it, whatever spacing or padding hid it from the byte check above.
        if let declared = doc.pointee.encoding.map({ String(cString: $0) }), Self.encodings[declared.lowercased()] == nil {
            throw Failure(
                line: 1,
                column: 1,
                code: "unsupported_charset",
                reason: "declared encoding \(declared) is not UTF-8, GBK, GB18030 or GB2312"
            )
        }
        guard let root = xmlDocGetRootElement(doc) else { throw Failure(line: 1, column: 1, code: "malformed_xml", reason: "no root element") }
        try Self.checkNesting(root, maxDepth: maxDepth)
        let value = try body(XMLElementView(root))
        return (value, schema?.validate(doc) ?? [])
    }

    /// Refuses elements nested deeper than `maxDepth` and entity references anywhere, walking libxml2's tree
    /// without copying it (depth first, the first offender in document order).
    static func checkNesting(_ root: xmlNodePtr, maxDepth: Int) throws(Failure) {
        var node: xmlNodePtr? = root
        var depth = 1
        while let n = node {
            switch n.pointee.type {
            case XML_ELEMENT_NODE:
                guard depth <= maxDepth else {
                    throw Failure(line: Int(xmlGetLineNo(n)), column: 0, code: "too_deep", reason: "elements nested deeper than \(maxDepth)")
                }
            case XML_ENTITY_REF_NODE:
                throw Failure(line: Int(xmlGetLineNo(n)), column: 0, code: "doctype_refused", reason: "entity references are refused")
            default:
                break
            }
            // Into the children of an element, else on to the next sibling, else back up until one has one.
            if n.pointee.type == XML_ELEMENT_NODE, let child = n.pointee.children {
                node = child
                depth += 1
                continue
            }
            var up: xmlNodePtr? = n
            node = nil
            while let u = up, u != root {
                if let next = u.pointee.next {
                    node = next
                    break
                }
                up = u.pointee.parent
                depth -= 1
            }
        }
    }

    /// The `encoding` of an XML declaration at the start of the document, if any.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard bytes[start...].starts(with: Array("<?xml".utf8)),
            let end = find(Array("?>".utf8), in: Array(bytes[start..<min(bytes.count, start + 200)]))
        else {
            return nil
        }
        let declaration = String(decoding: bytes[start..<(start + end)], as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
