/// What the item resolution needs to know about one implementation item and its catalog item, as the
/// catalog stands now. The store loads these for the codes a batch mentions; the pure core decides.
public struct ImplementationFacts: Sendable, Hashable {
    public var implementationCode: String
    public var catalogCode: String
    public var agencyCode: String
    public var itemType: ItemType
    public var catalogActive: Bool
    public var implementationActive: Bool

    public init(implementationCode: String, catalogCode: String, agencyCode: String, itemType: ItemType,
                catalogActive: Bool, implementationActive: Bool) {
        self.implementationCode = implementationCode
        self.catalogCode = catalogCode
        self.agencyCode = agencyCode
        self.itemType = itemType
        self.catalogActive = catalogActive
        self.implementationActive = implementationActive
    }
}

/// A confirmed mapping of a department's local item to provincial codes, under a mapping release.
public struct ConfirmedMapping: Sendable, Hashable {
    public var localCode: String
    public var catalogCode: String
    public var implementationCode: String
    public var release: Int64

    public init(localCode: String, catalogCode: String, implementationCode: String, release: Int64) {
        self.localCode = localCode
        self.catalogCode = catalogCode
        self.implementationCode = implementationCode
        self.release = release
    }
}
