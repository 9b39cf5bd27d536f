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
/// A value: built once per catalog version and shared; matching against it is pure.
public struct CatalogIndex: Sendable {
    public let entries: [CatalogEntry]
    let byScope: [Scope: [Int]]

    struct Scope: Hashable {
        var department: String
        var itemType: ItemType
    }

    public init(_ entries: [CatalogEntry]) {
        self.entries = entries
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

    public func entry(_ code: String) -> CatalogEntry? {
        entries.first { $0.code == code }
    }
}
