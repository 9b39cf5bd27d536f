import Foundation
import HubModel
import HubStore
import HubXML
import NIOCore
import Supervision

/// Takes a batch of case events from bytes to per-event results: decode (JSON, or XML validated against
/// `Schemas/case-events-v1.xsd`), read every event (`CaseEventReader`), then check and write them in one
/// transaction (`CaseStore.write`, which asks `CaseRules`).
public struct CaseService: Sendable {
    public let store: CaseStore
    /// The compiled XSD of the XML form (nil when the file is absent: XML is then read without it).
    let schema: RecordSchemaValidator?
    public let reader: CaseEventReader
    /// Longest a batch's write may take before the request is answered 503.
    public var writeDeadline: Duration = .seconds(60)

    public init(store: CaseStore, schema: RecordSchemaValidator?, reader: CaseEventReader = CaseEventReader()) {
        self.store = store
        self.schema = schema
        self.reader = reader
    }

    /// Reads and writes a pushed batch for `department` (the signer's). Throws `BatchError` for problems with the
    /// request as a whole.
    public func push(body: ByteBuffer, contentType: String?, department: String) async throws -> [CaseEventResult] {
        let (media, charset) = BatchBody.media(contentType)
        let outcomes: [CaseEventReader.Outcome]
        switch media {
        case "application/json":
            outcomes = try reader.read(try JSONBodyDecoder().decode(body, charset: charset))
        case "application/xml", "text/xml":
            outcomes = try readXML(body, charset: charset)
        default:
            throw BatchBody.unsupportedMediaType
        }
        let store = self.store
        return try await Deadline.run(writeDeadline, operation: "case event write") {
            try await store.write(outcomes, department: department)
        }
    }

    /// The XML form: parsed safely, validated against the XSD, mapped to the JSON tree and read.
    func readXML(_ body: ByteBuffer, charset: String?) throws(BatchError) -> [CaseEventReader.Outcome] {
        let (root, violations) = try BatchBody.parseXML(body, charset: charset, schema: schema)
        let document: JSONValue
        do { document = try CaseEventXML.batch(root) } catch { throw BatchBody.structure(error) }
        var outcomes = try reader.read(document)
        try BatchBody.merge(violations, into: &outcomes, schemaFile: "case-events-v1.xsd", rowIndex: CaseEventXML.eventIndex)
        return outcomes
    }
}
