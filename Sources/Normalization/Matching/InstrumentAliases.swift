import Foundation
import HubModel

/// Short titles staff type for an instrument (`食安法` → `食品安全法`, `危化品条例` → `危险化学品安全管理条例`).
///
/// Data, not code: the table is `Mappings/catalog/instrument-aliases.csv` (`alias,title`), read by whoever builds a
/// `CatalogIndex` (the hub's catalog cache, `hub mappings evaluate`). Both sides of a comparison — the catalog's
/// references and a local item's — go through the same table, so an alias only ever names one instrument.
public struct InstrumentAliases: Sendable, Hashable {
    /// Alias → the instrument's canonical title (as `CitationParser.normalizeTitle` writes it).
    public let titles: [String: String]

    /// No aliases: what a hub runs with when the file is absent.
    public static let none = InstrumentAliases(titles: [:])

    /// The file's place under the mappings directory.
    public static let relativePath = "catalog/instrument-aliases.csv"

    public init(titles: [String: String]) {
        var normalized: [String: String] = [:]
        for (alias, title) in titles { normalized[CitationParser.normalizeTitle(alias)] = CitationParser.normalizeTitle(title) }
        self.titles = normalized
    }

    /// What is wrong with the file, and where.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// Reads `alias,title` rows strictly: an empty cell, an alias twice, an alias that is itself a title of the
    /// table or points to itself stops the whole file (a wrong alias would make two instruments one).
    public init(csv text: String, file: String) throws(Problem) {
        let table: (header: [String], rows: [(line: Int, values: [String: String])])
        do { table = try CSV.records(text) } catch { throw Problem(file: file, line: error.line, reason: error.reason) }
        for column in ["alias", "title"] where !table.header.contains(column) {
            throw Problem(file: file, line: 1, reason: "missing column \(column)")
        }
        var titles: [String: String] = [:]
        for row in table.rows {
            let alias = CitationParser.normalizeTitle(row.values["alias"] ?? "")
            let title = CitationParser.normalizeTitle(row.values["title"] ?? "")
            func problem(_ reason: String) -> Problem { Problem(file: file, line: row.line, reason: reason) }
            guard !alias.isEmpty, !title.isEmpty else { throw problem("alias and title are required") }
            guard alias != title else { throw problem("alias \(alias) is its own title") }
            guard titles[alias] == nil else { throw problem("alias \(alias) appears twice") }
            titles[alias] = title
        }
        for (alias, title) in titles where titles[title] != nil {
            throw Problem(file: file, line: 1, reason: "title \(title) of alias \(alias) is itself an alias: name the full title")
        }
        self.titles = titles
    }

    /// Reads the file; nil when there is no such file (the caller decides whether that is allowed).
    public static func load(_ url: URL) throws -> InstrumentAliases? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try InstrumentAliases(csv: try String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    /// The canonical title of an instrument: its alias target, or the title itself.
    public func canonical(_ title: String) -> String { titles[title] ?? title }

    /// A reference with its instrument made canonical.
    public func canonical(_ reference: LegalReference) -> LegalReference {
        var r = reference
        r.instrument = canonical(r.instrument)
        return r
    }
}
