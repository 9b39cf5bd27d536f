import CLibXML2

/// An element of libxml2's tree, read in place: valid only while the document is (inside
/// `SafeXMLParser.read`'s closure). Readers that turn a document into their own values walk it directly, so a
/// batch is not copied into an `XMLNode` tree first only to be copied again.
struct XMLElementView {
    let node: xmlNodePtr

    init(_ node: xmlNodePtr) { self.node = node }

    var name: String { String(cString: node.pointee.name) }
    var line: Int { Int(xmlGetLineNo(node)) }

    var attributes: [(String, String)] {
        var out: [(String, String)] = []
        var attribute = node.pointee.properties
        while let a = attribute {
            var value = ""
            if let v = xmlNodeListGetString(node.pointee.doc, a.pointee.children, 1) {
                value = String(cString: v)
                hub_xml_free(v)
            }
            out.append((String(cString: a.pointee.name), value))
            attribute = a.pointee.next
        }
        return out
    }

    /// Text and CDATA directly inside the element, concatenated (one text node, the common case, is read as is).
    var text: String {
        var out = ""
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = c.pointee.content {
                if out.isEmpty { out = String(cString: content) } else { out += String(cString: content) }
            }
            child = c.pointee.next
        }
        return out
    }

    /// Whether the element's own text is only whitespace (or none): the indentation around child elements.
    var textIsBlank: Bool {
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = c.pointee.content {
                var p = content
                while p.pointee != 0 {
                    switch p.pointee {
                    case 0x20, 0x09, 0x0A, 0x0D: p += 1
                    // Anything else, Unicode spaces included, is judged as characters.
                    default: return text.allSatisfy(\.isWhitespace)
                    }
                }
            }
            child = c.pointee.next
        }
        return true
    }

    var hasChildren: Bool { firstElement(from: node.pointee.children) != nil }

    /// The child elements, in document order.
    var children: Children { Children(first: firstElement(from: node.pointee.children)) }

    struct Children: Sequence, IteratorProtocol {
        var first: xmlNodePtr?

        mutating func next() -> XMLElementView? {
            guard let n = first else { return nil }
            first = XMLElementView.firstElement(from: n.pointee.next)
            return XMLElementView(n)
        }
    }

    func firstElement(from start: xmlNodePtr?) -> xmlNodePtr? { Self.firstElement(from: start) }

    static func firstElement(from start: xmlNodePtr?) -> xmlNodePtr? {
        var n = start
        while let c = n, c.pointee.type != XML_ELEMENT_NODE { n = c.pointee.next }
        return n
    }
}

extension XMLNode {
    /// A plain copy of the element and everything under it.
    init(_ element: XMLElementView) {
        self.init(
            name: element.name,
            attributes: element.attributes,
            text: element.text,
            children: element.children.map(XMLNode.init),
            line: element.line
        )
    }
}
