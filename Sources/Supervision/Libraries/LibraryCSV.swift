import HubModel

/// A library as a CSV file (`hub random-checks import`): a header row naming the same fields as the JSON form,
/// then one row per library row. A list field holds its values separated by `;` (or `；`); an empty cell is an
/// absent field. The rows come back as the same documents a push carries, with their line numbers, so an
/// import goes through `LibraryReader` and `LibraryRules` exactly as a push does.
public enum LibraryCSV {
    public struct Table: Sendable {
        /// One object per data row, in file order.
        public var rows: [JSONValue]
        /// The file line each row starts on.
        public var lines: [Int]
    }

    /// Reads the text of a CSV file (`table` does the rest). Throws for a file that cannot be read as a table: no header, a header
    /// naming an unknown or repeated field, a row with more cells than the header.
    public static func read(_ text: String, kind: LibraryKind) throws(BatchError) -> Table {
        let parsed: [CSV.Row]
        do { parsed = try CSV.parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text) } catch {
            throw BatchError([FieldError(path: "line \(error.line)", code: "malformed_csv", zh: "CSV 格式错误：\(error.reason)", en: error.description)])
        }
        return try table(parsed.map { (line: $0.line, fields: $0.fields) }, kind: kind)
    }

    /// The same from rows already split into cells (an XLSX sheet), the first row the header.
    public static func table(_ parsed: [(line: Int, fields: [String])], kind: LibraryKind) throws(BatchError) -> Table {
        guard let header = parsed.first else {
            throw BatchError([FieldError(path: "", code: "empty", zh: "文件为空（缺少表头行）", en: "the file is empty (no header row)")])
        }
        let known = LibraryFields.names(kind)
        var errors: [FieldError] = []
        var names: [String] = []
        for (i, cell) in header.fields.enumerated() {
            let name = cell.trimmingSpaces
            if !known.contains(name) {
                errors.append(
                    FieldError(
                        path: "header[\(i)]",
                        code: "unknown_field",
                        zh: "表头第 \(i + 1) 列“\(name)”不是\(kind.labelZh)的字段，可用：\(known.joined(separator: ", "))",
                        en: "header column \(i + 1) \"\(name)\" is not a field of \(kind.rawValue); fields: \(known.joined(separator: ", "))"
                    )
                )
            } else if names.contains(name) {
                errors.append(FieldError(path: "header[\(i)]", code: "duplicate_field", zh: "表头列“\(name)”重复", en: "header column \(name) repeated"))
            }
            names.append(name)
        }
        guard errors.isEmpty else { throw BatchError(errors) }
        let lists = LibraryFields.listNames(kind)
        var table = Table(rows: [], lines: [])
        for row in parsed.dropFirst() {
            guard row.fields.count <= names.count else {
                throw BatchError([
                    FieldError(
                        path: "line \(row.line)",
                        code: "too_many_cells",
                        zh: "第 \(row.line) 行的列数多于表头",
                        en: "line \(row.line) has more cells than the header"
                    )
                ])
            }
            var members: [(String, JSONValue)] = []
            for (name, cell) in zip(names, row.fields) where !cell.trimmingSpaces.isEmpty {
                if lists.contains(name) {
                    let values = cell.split(whereSeparator: { $0 == ";" || $0 == "；" }).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
                    members.append((name, .array(values.map(JSONValue.string))))
                } else {
                    members.append((name, .string(cell)))
                }
            }
            table.rows.append(.object(members))
            table.lines.append(row.line)
        }
        return table
    }
}
