/// The one byte encoding of a JSON value that the hub hashes and stores.
///
/// Members sorted by name (Unicode code point order, i.e. UTF-8 byte order; the same as RFC 8785's UTF-16
/// order for every name of the record schema, which are ASCII), no insignificant whitespace, strings escaped
/// minimally, numbers as their literal text. Two records with the same content therefore have the
/// same bytes whatever order or spacing the department sent, which is what idempotency and the ledger's
/// hash chain rely on.
public enum CanonicalJSON {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out)
        return out
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(e, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.count < 2 ? members : members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            for (i, m) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(m.0, into: &out)
                out.append(UInt8(ascii: ":"))
                write(m.1, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// An object whose member values are already canonical encodings (to embed a record without encoding it twice).
    public static func object(encodedMembers members: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(members.reduce(16) { $0 + $1.0.utf8.count + $1.1.count + 4 })
        for (i, m) in members.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeString(m.0, into: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: m.1)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Whether any byte of `s` must be escaped (a control character, a quote or a backslash).
    static func needsEscaping(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { buffer in
            for b in buffer where b < 0x20 || b == 0x22 || b == 0x5C { return true }
            return false
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most text needs no escaping: copy it whole.
        if !needsEscaping(s) {
            out.append(contentsOf: s.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
