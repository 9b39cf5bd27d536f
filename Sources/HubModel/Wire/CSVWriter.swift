import Foundation

/// Writes CSV as spreadsheets read it (RFC 4180): fields with a comma, quote or line break are quoted, quotes
/// doubled; lines end in CRLF. `document` starts with a UTF-8 byte-order mark, so Excel on a Chinese Windows
/// opens the file as UTF-8 instead of GBK.
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }

    public static func document(header: [String], rows: [[String]]) -> String {
        var text = "\u{FEFF}" + line(header)
        for row in rows { text += line(row) }
        return text
    }
}
