import CLibXML2
import Foundation
import HubModel

/// XSD validation of XML batches with libxml2's schema validator (`Schemas/record-v1.xsd`).
///
/// The schema is compiled once and shared read-only; each validation gets its own validation context, which
/// is what libxml2 requires for concurrent use. Violations come back with the field path of the element
/// (`records[2].party.idNumber`) so they can join the per-record answers.
public final class RecordSchemaValidator: @unchecked Sendable {
    let schema: xmlSchemaPtr

    public struct Violation: Sendable, Equatable {
        /// The record it belongs to, when the element is inside one.
        public var record: Int?
        public var path: String
        public var line: Int
        public var message: String
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(xsd url: URL) throws {
        guard let parser = xmlSchemaNewParserCtxt(url.path) else { throw LoadError(description: "cannot read \(url.path)") }
        defer { xmlSchemaFreeParserCtxt(parser) }
        guard let schema = xmlSchemaParse(parser) else { throw LoadError(description: "\(url.path) is not a valid XSD") }
        self.schema = schema
    }

    deinit { xmlSchemaFree(schema) }

    final class Collector {
        var violations: [Violation] = []
    }

    /// Validates a parsed document; an empty list when it conforms.
    func validate(_ doc: xmlDocPtr) -> [Violation] {
        guard let ctxt = xmlSchemaNewValidCtxt(schema) else { return [] }
        defer { xmlSchemaFreeValidCtxt(ctxt) }
        let collector = Collector()
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        xmlSchemaSetValidStructuredErrors(
            ctxt,
            { userData, error in
                guard let userData, let error else { return }
                let collector = Unmanaged<Collector>.fromOpaque(userData).takeUnretainedValue()
                guard collector.violations.count < 1000 else { return }
                let message = error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "invalid"
                var nodePath = ""
                if let node = error.pointee.node?.assumingMemoryBound(to: xmlNode.self), let p = xmlGetNodePath(node) {
                    nodePath = String(cString: p)
                    hub_xml_free(p)
                }
                let (record, path) = RecordSchemaValidator.fieldPath(nodePath)
                collector.violations.append(Violation(record: record, path: path, line: Int(error.pointee.line), message: message))
            },
            box.toOpaque()
        )
        _ = xmlSchemaValidateDoc(ctxt, doc)
        return collector.violations
    }

    /// `/records/record[3]/inspection/inspectors/inspector[2]/name` → (2, `records[2].inspection.inspectors[1].name`).
    static func fieldPath(_ nodePath: String) -> (Int?, String) {
        var parts: [String] = []
        var record: Int?
        for component in nodePath.split(separator: "/") {
            var name = String(component)
            var index: Int?
            if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
                index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
                name = String(name[..<open])
            }
            if let last = parts.last, last == name + "s" || last.hasPrefix(name + "s[") {
                // A list entry: `inspectors/inspector[2]` → `inspectors[1]`.
                parts[parts.count - 1] = name + "s[\((index ?? 1) - 1)]"
                if name == "record" { record = (index ?? 1) - 1 }
            } else {
                parts.append(name)
            }
        }
        return (record, parts.joined(separator: "."))
    }
}
