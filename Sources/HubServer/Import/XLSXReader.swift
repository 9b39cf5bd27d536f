import HubXML

/// A minimal XLSX reader for `hub random-checks import`, `hub catalog import` and `hub mappings match` (through
/// `TableFile`): the first worksheet's cells as text rows, each with its Excel row number (what ops see in Excel, and what refusals name). ZIP (stored or deflated entries, no ZIP64),
/// shared strings, inline strings, numbers and booleans as written; no formulas evaluated (their cached value is
/// read), no dates converted (write dates as text). Sizes are capped against crafted files.
enum XLSXReader {
    struct Failure: Error, Sendable {
        var reason: String
    }

    /// Largest uncompressed part read.
    static let maxPartBytes = 64 * 1024 * 1024

    static func isXLSX(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// The rows of the first worksheet, with their row numbers; empty rows are left out.
    static func rows(_ bytes: [UInt8]) throws(Failure) -> [(line: Int, fields: [String])] {
        let entries = try ZipEntries(bytes)
        var shared: [String] = []
        if let data = try entries.data(named: "xl/sharedStrings.xml") { shared = try sharedStrings(data) }
        let sheetName =
            entries.names.contains("xl/worksheets/sheet1.xml")
            ? "xl/worksheets/sheet1.xml" : entries.names.filter { $0.hasPrefix("xl/worksheets/") && $0.hasSuffix(".xml") }.sorted().first
        guard let sheetName, let sheet = try entries.data(named: sheetName) else { throw Failure(reason: "no worksheet in the file") }
        let root = try parse(sheet)
        guard let data = root.children.first(where: { $0.name == "sheetData" }) else { return [] }
        var out: [(line: Int, fields: [String])] = []
        for (i, row) in data.children.enumerated() where row.name == "row" {
            let line = row.attributes.first { $0.0 == "r" }.flatMap { Int($0.1) } ?? i + 1
            var fields: [String] = []
            for cell in row.children where cell.name == "c" {
                let reference = cell.attributes.first { $0.0 == "r" }?.1 ?? ""
                let column = columnIndex(reference) ?? fields.count
                guard column < 1000 else { throw Failure(reason: "cell \(reference) is beyond column 1000") }
                while fields.count < column { fields.append("") }
                let type = cell.attributes.first { $0.0 == "t" }?.1 ?? "n"
                let value = cell.children.first { $0.name == "v" }?.text ?? ""
                let text: String
                switch type {
                case "s":
                    guard let index = Int(value), shared.indices.contains(index) else {
                        throw Failure(reason: "cell \(reference) names no shared string")
                    }
                    text = shared[index]
                case "inlineStr": text = cell.children.first { $0.name == "is" }.map(Self.text) ?? ""
                case "b": text = value == "1" ? "TRUE" : "FALSE"
                default: text = value
                }
                if fields.count == column { fields.append(text) } else { fields[column] = text }
            }
            while fields.last?.isEmpty == true { fields.removeLast() }
            if !fields.isEmpty { out.append((line, fields)) }
        }
        return out
    }

    /// `B12` → 1.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for c in reference.unicodeScalars {
            guard c.value >= 65, c.value <= 90 else { break }
            index = index * 26 + Int(c.value - 64)
            letters += 1
        }
        return letters == 0 ? nil : index - 1
    }

    static func sharedStrings(_ data: [UInt8]) throws(Failure) -> [String] {
        try parse(data).children.filter { $0.name == "si" }.map(text)
    }

    /// The text of a string item: its `t` elements, rich-text runs included, phonetic hints (`rPh`) left out.
    static func text(_ node: XMLNode) -> String {
        if node.name == "t" { return node.text }
        if node.name == "rPh" { return "" }
        return node.children.map(text).joined()
    }

    static func parse(_ data: [UInt8]) throws(Failure) -> XMLNode {
        var parser = SafeXMLParser()
        parser.maxBytes = maxPartBytes
        do { return try parser.parse(data) } catch { throw Failure(reason: "the workbook's XML cannot be read: \(error.reason)") }
    }
}

/// The entries of a ZIP archive, read through its central directory.
struct ZipEntries {
    struct Entry {
        var method: Int
        var compressedSize: Int
        var size: Int
        var localOffset: Int
    }

    let bytes: [UInt8]
    var entries: [String: Entry] = [:]
    var names: [String] { Array(entries.keys) }

    init(_ bytes: [UInt8]) throws(XLSXReader.Failure) {
        self.bytes = bytes
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while end >= lowest, !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 5 && bytes[end + 3] == 6) { end -= 1 }
        guard end >= lowest, end >= 0 else { throw XLSXReader.Failure(reason: "not a ZIP file (no central directory)") }
        let count = u16(end + 10)
        var at = u32(end + 16)
        guard count < 10_000 else { throw XLSXReader.Failure(reason: "too many entries") }
        for _ in 0..<count {
            guard at + 46 <= bytes.count, u32(at) == 0x0201_4B50 else { throw XLSXReader.Failure(reason: "damaged central directory") }
            let nameLength = u16(at + 28)
            guard at + 46 + nameLength <= bytes.count else { throw XLSXReader.Failure(reason: "damaged central directory") }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(method: u16(at + 10), compressedSize: u32(at + 20), size: u32(at + 24), localOffset: u32(at + 42))
            at += 46 + nameLength + u16(at + 30) + u16(at + 32)
        }
    }

    /// An entry's content (nil when there is no such entry).
    func data(named name: String) throws(XLSXReader.Failure) -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        let at = entry.localOffset
        guard at + 30 <= bytes.count, bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 3, bytes[at + 3] == 4 else {
            throw XLSXReader.Failure(reason: "damaged entry \(name)")
        }
        let start = at + 30 + (Int(bytes[at + 26]) | Int(bytes[at + 27]) << 8) + (Int(bytes[at + 28]) | Int(bytes[at + 29]) << 8)
        guard entry.size <= XLSXReader.maxPartBytes, start + entry.compressedSize <= bytes.count else {
            throw XLSXReader.Failure(reason: "entry \(name) is too large or cut short")
        }
        let raw = Array(bytes[start..<(start + entry.compressedSize)])
        switch entry.method {
        case 0: return raw
        case 8:
            do { return try Inflate.decompress(raw, limit: XLSXReader.maxPartBytes) } catch {
                throw XLSXReader.Failure(reason: "entry \(name): \(error.reason)")
            }
        default: throw XLSXReader.Failure(reason: "entry \(name) uses compression method \(entry.method)")
        }
    }
}
