import HubModel

/// The XML form of a batch push turned into the JSON tree its reader takes, shared by the pushes whose rows nest
/// (`CaseEventXML`, `ObservationXML`): `<root><row>…</row>…</root>` becomes `{"root":[…]}`, each element a member
/// named as in JSON, nested as in JSON. A repeated element is refused like a duplicate JSON member and an attribute
/// as an unknown member, with the path and line. Every leaf is text (the readers take booleans and integers from
/// their text).
enum XMLTree {
    /// The rows of a batch document whose root must be `root` with `row` children.
    static func batch(
        _ node: XMLNode,
        root: String,
        row: String,
        listFields: Set<String> = []
    ) throws(RecordXML.Failure) -> JSONValue {
        guard node.name == root else {
            throw RecordXML.Failure(path: "", line: node.line, code: "wrong_root", reason: "the root element must be <\(root)>, found <\(node.name)>")
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
            rows.append(try value(child, path: path, isList: false, listFields: listFields))
        }
        return .object([(root, .array(rows))])
    }

    /// One element as JSON: an object of its children, a list (a wrapper with one child per entry) when its name is
    /// in `listFields`, or its text.
    static func value(_ node: XMLNode, path: String, isList: Bool, listFields: Set<String>) throws(RecordXML.Failure) -> JSONValue {
        if let attribute = node.attributes.first {
            throw RecordXML.Failure(
                path: "\(path).@\(attribute.0)",
                line: node.line,
                code: "unknown_field",
                reason: "unknown attribute \(attribute.0)"
            )
        }
        if isList {
            guard node.text.allSatisfy(\.isWhitespace) else { return .string(node.text) }
            var entries: [JSONValue] = []
            for (i, child) in node.children.enumerated() {
                entries.append(
                    child.children.isEmpty
                        ? .string(child.text) : try value(child, path: "\(path)[\(i)]", isList: false, listFields: listFields)
                )
            }
            return .array(entries)
        }
        guard !node.children.isEmpty else { return .string(node.text) }
        var members: [(String, JSONValue)] = []
        var seen = Set<String>()
        for child in node.children {
            let at = "\(path).\(child.name)"
            guard seen.insert(child.name).inserted else {
                throw RecordXML.Failure(path: at, line: child.line, code: "duplicate_element", reason: "<\(child.name)> appears twice")
            }
            members.append((child.name, try value(child, path: at, isList: listFields.contains(child.name), listFields: listFields)))
        }
        return .object(members)
    }
}
