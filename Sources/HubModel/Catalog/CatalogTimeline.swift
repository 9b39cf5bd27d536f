/// One stored version of a catalog item, as the item resolution needs it.
public struct CatalogVersion: Sendable, Hashable {
    public var code: String
    public var version: Int
    /// The day this version takes effect (its `effective_from` in Asia/Shanghai); nil for a first version the
    /// publisher gave no date for, which stands for every earlier day too (the hub cannot know better).
    public var effectiveOn: CalendarDate?
    public var itemType: ItemType
    public var active: Bool

    public init(code: String, version: Int, effectiveOn: CalendarDate?, itemType: ItemType, active: Bool) {
        self.code = code
        self.version = version
        self.effectiveOn = effectiveOn
        self.itemType = itemType
        self.active = active
    }
}

/// One stored version of an implementation item.
public struct ImplementationVersion: Sendable, Hashable {
    public var code: String
    public var version: Int
    public var effectiveOn: CalendarDate?
    public var catalogCode: String
    public var agencyCode: String
    public var level: Int
    public var active: Bool

    public init(
        code: String,
        version: Int,
        effectiveOn: CalendarDate?,
        catalogCode: String,
        agencyCode: String,
        level: Int,
        active: Bool
    ) {
        self.code = code
        self.version = version
        self.effectiveOn = effectiveOn
        self.catalogCode = catalogCode
        self.agencyCode = agencyCode
        self.level = level
        self.active = active
    }
}

/// What the catalog said about an implementation item on one day.
public enum DatedFacts: Sendable, Equatable {
    /// Neither the item nor its catalog item is known.
    case unknown
    /// The item (or its catalog item) takes effect only on this later day.
    case notYetEffective(CalendarDate)
    /// The versions in force that day.
    case inForce(ImplementationFacts)
}

/// Every version of the catalog and implementation items a batch mentions, and the one pure rule that picks
/// the version in force on a day: versions ordered by effective day then version number; in force on D is
/// the last one whose effective day is on or before D (a version without a day counts as always effective).
///
/// The store loads versions, never "the current one", so a record about an act before a retirement is judged
/// by the catalog of its act date, and a version published ahead of its day changes nothing until that day.
public struct CatalogTimeline: Sendable {
    public private(set) var catalog: [String: [CatalogVersion]] = [:]
    public private(set) var implementations: [String: [ImplementationVersion]] = [:]
    /// Implementation codes by catalog code (any version).
    public private(set) var byCatalog: [String: [String]] = [:]

    public init(catalog: [CatalogVersion] = [], implementations: [ImplementationVersion] = []) {
        for v in catalog { self.catalog[v.code, default: []].append(v) }
        for v in implementations { self.implementations[v.code, default: []].append(v) }
        for key in self.catalog.keys { self.catalog[key]?.sort { Self.order($0.effectiveOn, $0.version, $1.effectiveOn, $1.version) } }
        for key in self.implementations.keys {
            self.implementations[key]?.sort { Self.order($0.effectiveOn, $0.version, $1.effectiveOn, $1.version) }
        }
        for (code, versions) in self.implementations {
            for catalogCode in Set(versions.map(\.catalogCode)) { byCatalog[catalogCode, default: []].append(code) }
        }
        for key in byCatalog.keys { byCatalog[key]?.sort() }
    }

    /// The current facts as one undated version each (unit tests and tools that know only "now").
    public init(facts: [ImplementationFacts]) {
        var catalog: [String: CatalogVersion] = [:]
        for f in facts {
            catalog[f.catalogCode] = CatalogVersion(code: f.catalogCode, version: 1, effectiveOn: nil, itemType: f.itemType, active: f.catalogActive)
        }
        self.init(
            catalog: Array(catalog.values),
            implementations: facts.map {
                ImplementationVersion(
                    code: $0.implementationCode,
                    version: 1,
                    effectiveOn: nil,
                    catalogCode: $0.catalogCode,
                    agencyCode: $0.agencyCode,
                    level: $0.level,
                    active: $0.implementationActive
                )
            }
        )
    }

    /// The order of versions: by effective day (none first), then by version (or publication) number.
    public static func order(_ a: CalendarDate?, _ av: Int, _ b: CalendarDate?, _ bv: Int) -> Bool {
        switch (a, b) {
        case (nil, nil): av < bv
        case (nil, _): true
        case (_, nil): false
        case (let x?, let y?): x == y ? av < bv : x < y
        }
    }

    /// The version in force on `day` among versions sorted by `order`: the last one effective on or before it;
    /// nil when every version takes effect later. The simulator uses the same rule for its copy.
    public static func inForce<V>(_ sorted: [V], on day: CalendarDate, effectiveOn: (V) -> CalendarDate?) -> V? {
        sorted.last { v in effectiveOn(v).map { $0 <= day } ?? true }
    }

    /// What the catalog said about one implementation item on `day`: the implementation version and its catalog
    /// item's version in force, or the first day both are in force when that is later.
    public func facts(implementationCode code: String, on day: CalendarDate) -> DatedFacts {
        guard let versions = implementations[code], !versions.isEmpty else { return .unknown }
        guard let impl = Self.inForce(versions, on: day, effectiveOn: \.effectiveOn) else {
            return .notYetEffective(versions[0].effectiveOn ?? day)
        }
        guard let items = catalog[impl.catalogCode], !items.isEmpty else { return .unknown }
        guard let item = Self.inForce(items, on: day, effectiveOn: \.effectiveOn) else {
            return .notYetEffective(items[0].effectiveOn ?? day)
        }
        var facts = ImplementationFacts(
            implementationCode: code,
            catalogCode: impl.catalogCode,
            agencyCode: impl.agencyCode,
            level: impl.level,
            itemType: item.itemType,
            catalogActive: item.active,
            implementationActive: impl.active
        )
        facts.retiredOn = !item.active ? item.effectiveOn : (!impl.active ? impl.effectiveOn : nil)
        return .inForce(facts)
    }
}
