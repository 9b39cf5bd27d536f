/// The national code lists (国家字典) that record values must come from (`Mappings/dictionaries/`).
///
/// Each dictionary is one CSV file, `NAME.csv`, with the header `code,name`. They are data, not code, so
/// that operators can follow a new national list without a release.
public struct NationalDictionaries: Sendable {
    public private(set) var entries: [String: [String: String]]

    public init(entries: [String: [String: String]]) { self.entries = entries }

    public struct ParseError: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// Builds the dictionaries from the text of `NAME.csv` files (`code,name`), by dictionary name. Pure:
    /// reading the files is the caller's business (`DictionaryLoader` in Normalization).
    public static func parse(_ files: [(name: String, text: String)]) throws -> NationalDictionaries {
        var entries: [String: [String: String]] = [:]
        for (name, text) in files {
            let parsed: (header: [String], rows: [(line: Int, values: [String: String])])
            do { parsed = try CSV.records(text) } catch { throw ParseError(file: name + ".csv", line: error.line, reason: error.reason) }
            guard parsed.header.starts(with: ["code", "name"]) else {
                throw ParseError(file: name + ".csv", line: 1, reason: "header must be code,name")
            }
            var codes: [String: String] = [:]
            for row in parsed.rows {
                guard let code = row.values["code"], !code.isEmpty else {
                    throw ParseError(file: name + ".csv", line: row.line, reason: "empty code")
                }
                codes[code] = row.values["name"] ?? ""
            }
            entries[name] = codes
        }
        return NationalDictionaries(entries: entries)
    }

    public func contains(_ dictionary: String, _ code: String) -> Bool {
        entries[dictionary]?[code] != nil
    }

    public func name(_ dictionary: String, _ code: String) -> String? {
        entries[dictionary]?[code]
    }
}
