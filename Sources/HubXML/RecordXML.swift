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
    public static func batch(_ root: XMLNode) throws(Failure) -> JSONValue { try read(root) }

    /// Parses a records document safely (`SafeXMLParser`), validates it against `schema` when given, and reads
    /// the batch straight from libxml2's tree. A structural failure of the batch comes back as a `Failure` in
    /// the result, next to the schema violations; a document that is not safe or well-formed XML throws.
    public static func parse(
        _ bytes: [UInt8],
        charset: String?,
        validatingWith schema: RecordSchemaValidator?
    ) throws(SafeXMLParser.Failure) -> (batch: Result<JSONValue, Failure>, violations: [RecordSchemaValidator.Violation]) {
        let (batch, violations) = try SafeXMLParser().read(bytes, charset: charset, validatingWith: schema) { root in
            Result { () throws(Failure) in try read(root) }
        }
        return (batch, violations)
    }

    static func read<E: XMLElementReading>(_ root: E) throws(Failure) -> JSONValue {
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
            records.append(try value(child, spec: RecordSchema.record, path: { "records[\(i)]" }))
        }
        members.append(("records", .array(records)))
        return .object(members)
    }

    /// One element as the schema says it is. `path` builds the field path only when a failure needs it: a
    /// batch of 500 records has some 15,000 elements and almost never a failure.
    static func value<E: XMLElementReading>(_ node: E, spec: FieldSpec, path: () -> String) throws(Failure) -> JSONValue {
        switch spec {
        case .text:
            return node.hasChildren ? try object(node, spec: [], path: path) : .string(node.text)
        case .flag:
            let text = node.text
            switch trimmed(text) {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: return node.hasChildren ? try object(node, spec: [], path: path) : .string(text)
            }
        case .list(let element, _, _):
            guard node.textIsBlank else { return .string(node.text) }
            var out: [JSONValue] = []
            for (i, child) in node.children.enumerated() {
                out.append(try value(child, spec: element, path: { "\(path())[\(i)]" }))
            }
            return .array(out)
        case .object(let members):
            guard node.textIsBlank else {
                // Text where fields are expected: the reader answers `wrong_type` for it.
                return node.hasChildren ? .array([]) : .string(node.text)
            }
            return try object(node, spec: members, path: path)
        }
    }

    static func object<E: XMLElementReading>(_ node: E, spec: [FieldSpec.Member], path: () -> String) throws(Failure) -> JSONValue {
        var out: [(String, JSONValue)] = []
        for child in node.children {
            let name = child.name
            // A record's objects hold a few dozen members at most: a linear look beats hashing each name.
            guard !out.contains(where: { $0.0 == name }) else {
                throw Failure(path: join(path(), name), line: child.line, code: "duplicate_element", reason: "<\(name)> appears twice")
            }
            if let member = spec.first(where: { $0.name == name }) {
                out.append((name, try value(child, spec: member.spec, path: { join(path(), name) })))
            } else {
                out.append((name, .string(child.text)))
            }
        }
        return .object(out)
    }

    /// `text` without leading and trailing whitespace.
    static func trimmed(_ text: String) -> Substring {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return text[first...last]
    }

    static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
}

/// What `RecordXML` needs of an element, so that it reads libxml2's tree in place (`XMLElementView`) and a
/// plain `XMLNode` alike.
protocol XMLElementReading {
    associatedtype Children: Sequence where Children.Element == Self
    var name: String { get }
    var line: Int { get }
    var attributes: [(String, String)] { get }
    var text: String { get }
    /// Whether the element's own text is only whitespace (or none).
    var textIsBlank: Bool { get }
    var hasChildren: Bool { get }
    var children: Children { get }
}

extension XMLElementView: XMLElementReading {}

extension XMLNode: XMLElementReading {
    var textIsBlank: Bool { text.allSatisfy(\.isWhitespace) }
    var hasChildren: Bool { !children.isEmpty }
}
