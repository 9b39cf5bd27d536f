import Foundation
import HubModel

/// Turns a JSON batch into its XML form (DESIGN.md "Contracts") and encodes text to GB18030, for tests
/// that must give the same batch in every wire form.
enum XMLSamples {
    static func xml(fromJSON text: String, encoding: String = "UTF-8") -> String {
        let batch = try! JSONParser().parse(Array(text.utf8))
        var out = "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n<records"
        if case .string(let id)? = batch["batchId"] { out += " batchId=\"\(escape(id))\"" }
        out += ">"
        if case .array(let records)? = batch["records"] {
            for record in records { out += element("record", record) }
        }
        return out + "</records>\n"
    }

    static func element(_ name: String, _ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return "<\(name)>\(b)</\(name)>"
        case .number(let n): return "<\(name)>\(n)</\(name)>"
        case .string(let s): return "<\(name)>\(escape(s))</\(name)>"
        case .array(let items):
            let child = name.hasSuffix("s") ? String(name.dropLast()) : name + "Item"
            return "<\(name)>" + items.map { element(child, $0) }.joined() + "</\(name)>"
        case .object(let members):
            return "<\(name)>" + members.map { element($0.0, $0.1) }.joined() + "</\(name)>"
        }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `text` in GB18030 bytes (through iconv).
    static func gb18030(_ text: String) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")
        precondition(cd != iconv_t(bitPattern: -1), "iconv has no GB18030")
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        var inLeft = input.count
        var outLeft = output.count
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                _ = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            }
        }
        return output.prefix(output.count - outLeft).map { UInt8(bitPattern: $0) }
    }
}
