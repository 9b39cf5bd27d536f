/// An element of a parsed XML document, as plain values: name, attributes, text and child elements,
/// with the line it started on (for error messages).
public struct XMLNode: Sendable, Hashable {
    public var name: String
    public var attributes: [(String, String)]
    /// Text and CDATA directly inside the element, concatenated.
    public var text: String
    public var children: [XMLNode]
    public var line: Int

    public static func == (a: XMLNode, b: XMLNode) -> Bool {
        a.name == b.name && a.text == b.text && a.children == b.children && a.line == b.line
            && a.attributes.map(\.0) == b.attributes.map(\.0) && a.attributes.map(\.1) == b.attributes.map(\.1)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(text)
        hasher.combine(children)
    }
}
