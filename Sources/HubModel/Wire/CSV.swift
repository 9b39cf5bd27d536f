import Foundation

/// RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and newlines.
///
/// Catalog files carry legal-basis text with several citations separated by newlines, so a line-based
/// split would cut rows in half. Rows come back with their 1-based line number for error messages.
public enum CSV {
    public struct Row: Sendable {
        public var line: Int
        public var fields: [String]
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public static func parse(_ text: String) throws(Failure) -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        var atFieldStart = true
        func next() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            inQuotes = false
                            pending = n
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                inQuotes = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                continue
            case "\n":
                fields.append(field)
                field = ""
                atFieldStart = true
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
                fields = []
                line += 1
                rowLine = line
            default:
                field.unicodeScalars.append(c)
                atFieldStart = false
            }
        }
        if inQuotes { throw Failure(line: rowLine, reason: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(Row(line: rowLine, fields: fields))
        }
        if let first = rows.first?.fields.first, first.hasPrefix("\u{FEFF}") {
            rows[0].fields[0] = String(first.dropFirst())
        }
        return rows
    }

    /// Parses a file whose first row names the columns; each row becomes a name → value map.
    public static func records(_ text: String) throws(Failure) -> (header: [String], rows: [(line: Int, values: [String: String])]) {
        let rows = try parse(text)
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw Failure(line: 1, reason: "empty file: a header row is required")
        }
        var out: [(Int, [String: String])] = []
        for row in rows.dropFirst() {
            guard row.fields.count <= header.count else {
                throw Failure(line: row.line, reason: "\(row.fields.count) fields but the header names \(header.count)")
            }
            var values: [String: String] = [:]
            for (name, value) in zip(header, row.fields) { values[name] = value }
            out.append((row.line, values))
        }
        return (header, out)
    }
}
