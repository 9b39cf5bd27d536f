import Foundation

/// The national code lists (国家字典) that record values must come from, loaded from `Mappings/dictionaries/`.
///
/// Each dictionary is one CSV file, `NAME.csv`, with the header `code,name`. They are data, not code, so
/// that operators can follow a new national list without a release.
public struct NationalDictionaries: Sendable {
    public private(set) var entries: [String: [String: String]]

    public init(entries: [String: [String: String]]) { self.entries = entries }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case malformed(file: String, line: Int, reason: String)
        public var description: String {
            switch self {
            case .unreadable(let f): "cannot read dictionary folder \(f)"
            case let .malformed(file, line, reason): "\(file):\(line): \(reason)"
            }
        }
    }

    /// Loads every `*.csv` in `directory`.
    public static func load(from directory: URL) throws -> NationalDictionaries {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw LoadError.unreadable(directory.path)
        }
        var entries: [String: [String: String]] = [:]
        for file in names.sorted() where file.hasSuffix(".csv") {
            let url = directory.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let parsed: (header: [String], rows: [(line: Int, values: [String: String])])
            do { parsed = try CSV.records(text) } catch { throw LoadError.malformed(file: url.path, line: error.line, reason: error.reason) }
            guard parsed.header.starts(with: ["code", "name"]) else {
                throw LoadError.malformed(file: url.path, line: 1, reason: "header must be code,name")
            }
            var codes: [String: String] = [:]
            for row in parsed.rows {
                guard let code = row.values["code"], !code.isEmpty else {
                    throw LoadError.malformed(file: url.path, line: row.line, reason: "empty code")
                }
                codes[code] = row.values["name"] ?? ""
            }
            entries[String(file.dropLast(4))] = codes
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
