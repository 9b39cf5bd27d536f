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
        let (batch, violations) = try BatchBody.parseXML(body) { bytes throws(SafeXMLParser.Failure) in
            try RecordXML.parse(bytes, charset: charset, validatingWith: schema)
        }
        var recordErrors: [Int: [FieldError]] = [:]
        for v in violations {
            guard let record = v.record else { continue }
            recordErrors[record, default: []].append(BatchBody.violation(v, schemaFile: "record-v1.xsd"))
        }
        switch batch {
        case .success(let document): return (document, recordErrors)
        case .failure(let error): throw BatchBody.structure(error)
        }
    }
}
