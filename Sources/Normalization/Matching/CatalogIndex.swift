import HubModel

/// A catalog item as the matcher sees it: its references already parsed.
public struct CatalogEntry: Sendable, Hashable {
    public var code: String
    public var name: String
    public var itemType: ItemType
    public var department: String
    public var legalBasis: String
    public var references: [LegalReference]
    public var active: Bool

    public init(
        code: String,
        name: String,
        itemType: ItemType,
        department: String,
        legalBasis: String,
        references: [LegalReference]? = nil,
        active: Bool = true
    ) {
        self.code = code
        self.name = name
        self.itemType = itemType
        self.department = department
        self.legalBasis = legalBasis
        self.references = references ?? CitationParser.parse(legalBasis)
        self.active = active
    }

    /// The matcher's view of a catalog item: active unless retired.
    package init(item: CatalogItem) {
        self.init(
            code: item.code,
            name: item.name,
            itemType: item.itemType,
            department: item.department,
            legalBasis: item.legalBasis,
            active: item.status == .active
        )
    }
}

/// The catalog as of one moment, indexed for matching by (department, item type) and by cited article.
///
/// A value: built once per catalog version and shared; matching against it is pure. The alias table makes
/// the catalog's references and the local items' references name an instrument the same way.
public struct CatalogIndex: Sendable {
    /// The entries, their references' instruments made canonical by `aliases`.
    public let entries: [CatalogEntry]
    public let aliases: InstrumentAliases
    /// Titles the parser may recognise in a bare run: the catalog's instruments and the alias table's both sides.
    let known: Set<String>
    let byScope: [Scope: [Int]]

    struct Scope: Hashable {
        var department: String
        var itemType: ItemType
    }

    public init(_ entries: [CatalogEntry], aliases: InstrumentAliases = .none) {
        let entries = entries.map { e in
            var e = e
            e.references = e.references.map(aliases.canonical)
            return e
        }
        self.entries = entries
        self.aliases = aliases
        self.known = Set(entries.flatMap { $0.references.map(\.instrument) }).union(aliases.titles.keys).union(aliases.titles.values)
        var byScope: [Scope: [Int]] = [:]
        for (i, e) in entries.enumerated() where e.active {
            byScope[Scope(department: e.department, itemType: e.itemType), default: []].append(i)
        }
        self.byScope = byScope
    }

    /// Active items of one department and item type: the only ones a local item may match.
    public func candidates(department: String, itemType: ItemType) -> [CatalogEntry] {
        (byScope[Scope(department: department, itemType: itemType)] ?? []).map { entries[$0] }
    }

    /// A local legal basis as the matcher compares it: parsed knowing the catalog's titles, aliases resolved.
    public func references(_ legalBasis: String) -> [LegalReference] {
        var out: [LegalReference] = []
        for r in CitationParser.parse(legalBasis, known: known).map(aliases.canonical) where !out.contains(r) { out.append(r) }
        return out
    }

    public func entry(_ code: String) -> CatalogEntry? {
        entries.first { $0.code == code }
    }
}
