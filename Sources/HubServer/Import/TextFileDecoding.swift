#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of a file ops import: UTF-8 (with or without a byte-order mark), or — when the bytes are not valid
/// UTF-8 — GB18030 (which includes GBK and GB2312), as Excel on a Chinese Windows saves CSV. Detection is clean
/// because the two rarely overlap: Chinese text in GB18030 is almost never valid UTF-8, and the GB18030 reading
/// must decode every byte (iconv, no substitutions) or the file is refused.
enum TextFileDecoding {
    enum Encoding: String {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
    }

    static func decode(_ bytes: [UInt8]) -> (text: String, encoding: Encoding)? {
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        return gb18030(bytes).map { ($0, .gb18030) }
    }

    static func gb18030(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty else { return "" }
        let cd = iconv_open("UTF-8", "GB18030")
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int? in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let result = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                guard result != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(validating: output[..<written], as: UTF8.self)
    }
}
