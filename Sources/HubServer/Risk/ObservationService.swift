import Foundation
import HubModel
import HubStore
import HubXML
import NIOCore
import Supervision

/// Takes a batch of observations from bytes to per-row results: decode (JSON, or XML validated against
/// `Schemas/observations-v1.xsd`), read every row (`ObservationReader`), then write them in one transaction
/// (`ObservationStore.store`, which runs the risk models' hook before the commit).
public struct ObservationService: Sendable {
    public let store: ObservationStore
    /// The compiled XSD of the XML form (nil when the file is absent: XML is then read without it).
    let schema: RecordSchemaValidator?
    public let reader: ObservationReader
    /// Longest a batch's write may take before the request is answered 503.
    public var writeDeadline: Duration = .seconds(60)

    public init(store: ObservationStore, schema: RecordSchemaValidator?, maxRows: Int = 5000) {
        self.store = store
        self.schema = schema
        self.reader = ObservationReader(maxRows: maxRows)
    }

    /// Reads and writes a pushed batch for `department` (the signer's). Throws `BatchError` for problems with the
    /// request as a whole.
    public func push(body: ByteBuffer, contentType: String?, department: String) async throws -> [ObservationResult] {
        let (media, charset) = BatchBody.media(contentType)
        let outcomes: [ObservationReader.Outcome]
        switch media {
        case "application/json":
            outcomes = try reader.read(try JSONBodyDecoder().decode(body, charset: charset), department: department)
        case "application/xml", "text/xml":
            outcomes = try readXML(body, charset: charset, department: department)
        default:
            throw BatchBody.unsupportedMediaType
        }
        return try await write(outcomes, department: department)
    }

    /// Writes rows already read, in one transaction, within the write deadline.
    public func write(_ outcomes: [ObservationReader.Outcome], department: String) async throws -> [ObservationResult] {
        let store = self.store
        return try await Deadline.run(writeDeadline, operation: "observation write") {
            try await store.store(outcomes, department: department)
        }
    }

    /// The XML form: parsed safely, validated against the XSD, mapped to the JSON tree and read; a row the reader
    /// takes but the XSD refuses is rejected with `schema_violation`.
    func readXML(_ body: ByteBuffer, charset: String?, department: String) throws(BatchError) -> [ObservationReader.Outcome] {
        let (root, violations) = try BatchBody.parseXML(body, charset: charset, schema: schema)
        let document: JSONValue
        do { document = try ObservationXML.batch(root) } catch { throw BatchBody.structure(error) }
        var outcomes = try reader.read(document, department: department)
        try BatchBody.merge(violations, into: &outcomes, schemaFile: "observations-v1.xsd", rowIndex: ObservationXML.rowIndex)
        return outcomes
    }
}

extension ObservationReader.Outcome: BatchOutcome {
    var rowErrors: [FieldError]? { if case .invalid(let errors) = self { errors } else { nil } }
}

extension ObservationResult {
    /// The JSON form of a result in the push API's answer.
    var json: JSONValue {
        var m: [(String, JSONValue)] = [("index", .number(String(index))), ("status", .string(status.rawValue))]
        if let observationId { m.append(("observationId", .string(observationId))) }
        if let kind { m.append(("kind", .string(kind.rawValue))) }
        if let ledgerSeq { m.append(("ledgerSeq", .number(String(ledgerSeq)))) }
        if !errors.isEmpty { m.append(("errors", .array(errors.map(\.json)))) }
        return .object(m)
    }
}
