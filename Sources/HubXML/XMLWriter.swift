import HubModel

/// Writes a document tree as XML, for clients that ask for XML answers (`Accept: application/xml`).
///
/// Objects become elements named by their members, lists a wrapper element with one child per entry named
/// in the singular (`results` → `result`, `errors` → `error`), the way the record XML form writes lists.
/// Text is escaped; nothing from the client is ever written unescaped. Element names come from member names,
/// which a document may carry from outside (a stored record, a province feed): a name that is not a plain
/// XML name (`<a b="c">`, `x:y`, `xml…`, an empty name) is refused with `InvalidName`, never written.
public enum XMLWriter {
    /// A member name that cannot be an element name.
    public struct InvalidName: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\"\(name.prefix(40))\" is not an XML element name" }
    }

    public static func document(root: String, _ value: JSONValue) throws(InvalidName) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        try write(root, value, into: &out)
        out += "\n"
        return out
    }

    /// One element, for building documents piece by piece (e.g. a batch of records).
    public static func element(_ name: String, _ value: JSONValue) throws(InvalidName) -> String {
        var out = ""
        try write(name, value, into: &out)
        return out
    }

    /// A name the writer will use: a letter or `_`, then letters, digits, `_`, `-` or `.`; no `:` (no
    /// namespaces) and not starting with `xml` (reserved by XML 1.0).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_",
            !name.lowercased().hasPrefix("xml"), name.unicodeScalars.count <= 128
        else { return false }
        return name.unicodeScalars.allSatisfy { c in
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" || c == "."
        }
    }

    static func write(_ name: String, _ value: JSONValue, into out: inout String) throws(InvalidName) {
        guard isValidName(name) else { throw InvalidName(name: name) }
        switch value {
        case .null:
            out += "<\(name)/>"
        case .bool(let b):
            out += "<\(name)>\(b)</\(name)>"
        case .number(let n):
            out += "<\(name)>\(n)</\(name)>"
        case .string(let s):
            out += "<\(name)>\(escape(s))</\(name)>"
        case .array(let items):
            out += "<\(name)>"
            let child = singular(name)
            for item in items { try write(child, item, into: &out) }
            out += "</\(name)>"
        case .object(let members):
            out += "<\(name)>"
            for (k, v) in members { try write(k, v, into: &out) }
            out += "</\(name)>"
        }
    }

    static let irregular = [
        "evidence": "entry", "sharedArticles": "article", "contradictions": "contradiction", "candidates": "candidate",
        "roles": "role", "kinds": "kind", "inspectors": "inspector",
    ]

    public static func singular(_ name: String) -> String {
        if let s = irregular[name] { return s }
        return name.hasSuffix("s") && name.count > 1 ? String(name.dropLast()) : name + "Item"
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Characters XML 1.0 cannot carry at all are written as U+FFFD (they never pass input checks).
                if c.value < 0x20 && c != "\n" && c != "\t" && c != "\r" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
