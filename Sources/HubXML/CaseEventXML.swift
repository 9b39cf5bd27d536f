import HubModel

/// The XML form of a case-event batch turned into the tree the JSON form gives, so one reader
/// (`Supervision.CaseEventReader`) answers both the same way.
///
/// `<events><event><caseNo>…</caseNo><eventId>…</eventId><legalReview><date>…</date>…</legalReview></event></events>`:
/// each member is an element named as in JSON, nested as in JSON; a list is a wrapper with one child per entry
/// (`<penaltyKinds><kind>02</kind></penaltyKinds>`, `<evidence><item>…</item></evidence>`). Every leaf is text
/// (the reader takes `true`/`false` and integers as text). A repeated element is refused like a duplicate JSON
/// member; an attribute as an unknown member.
public enum CaseEventXML {
    /// The members that hold lists, in whatever object they appear.
    public static let listFields: Set<String> = ["evidence", "rightsTold", "penaltyKinds", "payments", "measures"]

    public static func batch(_ node: XMLNode) throws(RecordXML.Failure) -> JSONValue {
        guard node.name == "events" else {
            throw RecordXML.Failure(path: "", line: node.line, code: "wrong_root", reason: "the root element must be <events>, found <\(node.name)>")
        }
        var events: [JSONValue] = []
        for (i, child) in node.children.enumerated() {
            let path = "events[\(i)]"
            guard child.name == "event" else {
                throw RecordXML.Failure(
                    path: path,
                    line: child.line,
                    code: "unknown_field",
                    reason: "<events> holds <event> elements, found <\(child.name)>"
                )
            }
            events.append(try value(child, path: path, isList: false))
        }
        return .object([("events", .array(events))])
    }

    static func value(_ node: XMLNode, path: String, isList: Bool) throws(RecordXML.Failure) -> JSONValue {
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
                entries.append(child.children.isEmpty ? .string(child.text) : try value(child, path: "\(path)[\(i)]", isList: false))
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
            members.append((child.name, try value(child, path: at, isList: listFields.contains(child.name))))
        }
        return .object(members)
    }

    /// The event a schema violation's path points into (`events[3].decision.date` → 3).
    public static func eventIndex(_ path: String) -> Int? { LibraryXML.rowIndex(path, root: "events") }
}
