/// What the item resolution needs to know about one implementation item and its catalog item, as the
/// catalog stood on one day (`CatalogTimeline.facts(implementationCode:on:)`) or stands now.
public struct ImplementationFacts: Sendable, Hashable {
    public var implementationCode: String
    public var catalogCode: String
    public var agencyCode: String
    public var level: Int
    public var itemType: ItemType
    public var catalogActive: Bool
    public var implementationActive: Bool
    /// When the item is retired: the day its retirement took effect, when known (named in the rejection).
    public var retiredOn: CalendarDate? = nil

    public init(
        implementationCode: String,
        catalogCode: String,
        agencyCode: String,
        level: Int = 3,
        itemType: ItemType,
        catalogActive: Bool,
        implementationActive: Bool
    ) {
        self.implementationCode = implementationCode
        self.catalogCode = catalogCode
        self.agencyCode = agencyCode
        self.level = level
        self.itemType = itemType
        self.catalogActive = catalogActive
        self.implementationActive = implementationActive
    }
}

/// A department's decided mapping of a local item (a mapping release): provincial codes, or "no match".
public struct ConfirmedMapping: Sendable, Hashable {
    public var localCode: String
    public var catalogCode: String?
    public var implementationCode: String?
    /// `equivalent`, `local-narrower`, `local-broader` or `no-match` (as FHIR ConceptMap relationships).
    public var relationship: String
    public var release: Int64

    public init(localCode: String, catalogCode: String?, implementationCode: String?, relationship: String = "equivalent", release: Int64) {
        self.localCode = localCode
        self.catalogCode = catalogCode
        self.implementationCode = implementationCode
        self.relationship = relationship
        self.release = release
    }
}
