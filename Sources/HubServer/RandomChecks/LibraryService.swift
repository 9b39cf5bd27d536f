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
        let (media, charset) = BatchBody.media(contentType)
        let outcomes: [LibraryReader.Outcome]
        switch media {
        case "application/json":
            outcomes = try reader.read(try JSONBodyDecoder().decode(body, charset: charset), kind: kind)
        case "application/xml", "text/xml":
            outcomes = try readXML(body, charset: charset, kind: kind)
        default:
            throw BatchBody.unsupportedMediaType
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
        let (root, violations) = try BatchBody.parseXML(body, charset: charset, schema: schema)
        let document: JSONValue
        do {
            document = try LibraryXML.batch(root, root: kind.rawValue, row: kind.rowElement, listFields: LibraryFields.listNames(kind))
        } catch {
            throw BatchBody.structure(error)
        }
        var outcomes = try reader.read(document, kind: kind)
        try BatchBody.merge(violations, into: &outcomes, schemaFile: "random-check-libraries-v1.xsd") {
            LibraryXML.rowIndex($0, root: kind.rawValue)
        }
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
