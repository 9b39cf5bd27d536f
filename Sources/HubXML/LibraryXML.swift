import HubModel

/// The XML form of a random-check library batch turned into the tree the JSON form gives, so one reader
/// (`Supervision.LibraryReader`) answers both the same way.
///
/// `<items><item>…</item></items>` (and `subjects/subject`, `inspectors/inspector`, `conflicts/conflict`);
/// each field is an element named as in JSON; a list is a wrapper with one child per value
/// (`<tags><tag>…</tag></tags>`). An element the reader does not know passes as text so that it is refused as
/// `unknown_field` with its path; a repeated element is refused like a duplicate JSON member.
public enum LibraryXML {
    /// The document tree of a parsed library document whose root must be `root` with `row` children.
    public static func batch(_ node: XMLNode, root: String, row: String, listFields: Set<String>) throws(RecordXML.Failure) -> JSONValue {
        guard node.name == root else {
            throw RecordXML.Failure(path: "", line: node.line, code: "wrong_root", reason: "the root element must be <\(root)>, found <\(node.name)>")
        }
        if let attribute = node.attributes.first {
            throw RecordXML.Failure(path: "@\(attribute.0)", line: node.line, code: "unknown_field", reason: "unknown attribute \(attribute.0)")
        }
        var rows: [JSONValue] = []
        for (i, child) in node.children.enumerated() {
            let path = "\(root)[\(i)]"
            guard child.name == row else {
                throw RecordXML.Failure(
                    path: path,
                    line: child.line,
                    code: "unknown_field",
                    reason: "<\(root)> holds <\(row)> elements, found <\(child.name)>"
                )
            }
            var members: [(String, JSONValue)] = []
            var seen = Set<String>()
            for field in child.children {
                guard seen.insert(field.name).inserted else {
                    throw RecordXML.Failure(
                        path: "\(path).\(field.name)",
                        line: field.line,
                        code: "duplicate_element",
                        reason: "<\(field.name)> appears twice"
                    )
                }
                members.append((field.name, value(field, isList: listFields.contains(field.name))))
            }
            rows.append(.object(members))
        }
        return .object([(root, .array(rows))])
    }

    static func value(_ node: XMLNode, isList: Bool) -> JSONValue {
        if isList {
            guard node.text.allSatisfy(\.isWhitespace) else { return .string(node.text) }
            return .array(node.children.map { $0.children.isEmpty ? .string($0.text) : .object([]) })
        }
        return node.children.isEmpty ? .string(node.text) : .object([])
    }

    /// The row a schema violation's path points into (`items[3].name` → 3).
    public static func rowIndex(_ path: String, root: String) -> Int? {
        guard path.hasPrefix(root + "["), let close = path.firstIndex(of: "]") else { return nil }
        return Int(path[path.index(path.startIndex, offsetBy: root.count + 1)..<close])
    }
}
