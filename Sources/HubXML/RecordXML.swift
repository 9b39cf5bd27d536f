import Foundation
import HubModel

/// The XML form of the canonical record v1 (DESIGN.md "Contracts") turned into the same document tree the
/// JSON form gives, so that one `RecordReader` answers both identically.
///
/// `<records batchId="…"><record>…</record></records>`; fields are elements named as in JSON; a list is a
/// wrapper element with one child per value (`<inspectors><inspector>…</inspector></inspectors>`,
/// `<kinds><kind>01</kind></kinds>`); booleans are `true`/`false` (or `1`/`0`). The record schema says which
/// element is text, boolean, object or list; an element the schema does not know is passed on as text so
/// the reader refuses it as `unknown_field` with its path. A repeated element is refused like a duplicate
/// JSON member.
public enum RecordXML {
    public struct Failure: Error, Sendable {
        public var path: String
        public var line: Int
        public var code: String
        public var reason: String
    }

    /// The batch document tree for a parsed `<records>` document.
    public static func batch(_ root: XMLNode) throws(Failure) -> JSONValue {
        guard root.name == "records" else {
            throw Failure(path: "", line: root.line, code: "wrong_root", reason: "the root element must be <records>, found <\(root.name)>")
        }
        var members: [(String, JSONValue)] = []
        for (name, value) in root.attributes {
            guard name == "batchId" else {
                throw Failure(path: "@\(name)", line: root.line, code: "unknown_field", reason: "unknown attribute \(name)")
            }
            members.append(("batchId", .string(value)))
        }
        var records: [JSONValue] = []
        for (i, child) in root.children.enumerated() {
            guard child.name == "record" else {
                throw Failure(
                    path: "records[\(i)]",
                    line: child.line,
                    code: "unknown_field",
                    reason: "<records> holds <record> elements, found <\(child.name)>"
                )
            }
            records.append(try value(child, spec: RecordSchema.record, path: "records[\(i)]"))
        }
        members.append(("records", .array(records)))
        return .object(members)
    }

    static func value(_ node: XMLNode, spec: FieldSpec, path: String) throws(Failure) -> JSONValue {
        switch spec {
        case .text:
            return node.children.isEmpty ? .string(node.text) : try object(node, spec: [], path: path)
        case .flag:
            switch node.text.trimmingCharacters(in: .whitespacesAndNewlines) {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: return node.children.isEmpty ? .string(node.text) : try object(node, spec: [], path: path)
            }
        case .list(let element, _, _):
            guard node.text.allSatisfy(\.isWhitespace) else { return .string(node.text) }
            var out: [JSONValue] = []
            for (i, child) in node.children.enumerated() {
                out.append(try value(child, spec: element, path: "\(path)[\(i)]"))
            }
            return .array(out)
        case .object(let members):
            guard node.text.allSatisfy(\.isWhitespace) else {
                // Text where fields are expected: the reader answers `wrong_type` for it.
                return node.children.isEmpty ? .string(node.text) : .array([])
            }
            return try object(node, spec: members, path: path)
        }
    }

    static func object(_ node: XMLNode, spec: [FieldSpec.Member], path: String) throws(Failure) -> JSONValue {
        var out: [(String, JSONValue)] = []
        var seen = Set<String>()
        for child in node.children {
            let childPath = path.isEmpty ? child.name : "\(path).\(child.name)"
            guard seen.insert(child.name).inserted else {
                throw Failure(path: childPath, line: child.line, code: "duplicate_element", reason: "<\(child.name)> appears twice")
            }
            if let member = spec.first(where: { $0.name == child.name }) {
                out.append((child.name, try value(child, spec: member.spec, path: childPath)))
            } else {
                out.append((child.name, .string(child.text)))
            }
        }
        return .object(out)
    }
}
