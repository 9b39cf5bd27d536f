import HubModel

/// A claim as stored: whose, which item at which level, where it stands, its details, and what waits for approval.
public struct ClaimState: Sendable, Hashable {
    public var claimId: Int64
    public var catalogCode: String
    public var agencyCode: String
    public var agencyName: String
    /// The department (code) the agency belongs to, which proposes for it.
    public var department: String
    public var regionCode: String
    public var level: ClaimLevel
    public var status: ClaimStatus
    /// The details in force (for a proposed claim: the details proposed).
    public var details: ClaimDetails
    /// An adjustment's details waiting for approval.
    public var pendingDetails: ClaimDetails?
    /// A withdrawal's reason waiting for approval.
    public var pendingReason: String?
    /// Who made the proposal that waits (or the last one): the actor's `name`.
    public var proposedBy: String
    /// Set on first publication; kept across adjustments and the withdrawal.
    public var implementationCode: String?
    /// The implementation item's version last written (nil before publication).
    public var publishedVersion: Int?

    public init(
        claimId: Int64,
        catalogCode: String,
        agencyCode: String,
        agencyName: String,
        department: String,
        regionCode: String,
        level: ClaimLevel,
        status: ClaimStatus,
        details: ClaimDetails,
        pendingDetails: ClaimDetails? = nil,
        pendingReason: String? = nil,
        proposedBy: String,
        implementationCode: String? = nil,
        publishedVersion: Int? = nil
    ) {
        self.claimId = claimId
        self.catalogCode = catalogCode
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.department = department
        self.regionCode = regionCode
        self.level = level
        self.status = status
        self.details = details
        self.pendingDetails = pendingDetails
        self.pendingReason = pendingReason
        self.proposedBy = proposedBy
        self.implementationCode = implementationCode
        self.publishedVersion = publishedVersion
    }

    /// The claim's members as the API answers them and the ledger records them.
    public var json: JSONValue {
        .object([
            ("claimId", .number(String(claimId))), ("catalogCode", .string(catalogCode)), ("agencyCode", .string(agencyCode)),
            ("agencyName", .string(agencyName)), ("department", .string(department)), ("regionCode", .string(regionCode)),
            ("level", .number(String(level.rawValue))), ("status", .string(status.rawValue)), ("details", details.json),
            ("pendingDetails", pendingDetails?.json ?? .null), ("pendingReason", .text(pendingReason)), ("proposedBy", .string(proposedBy)),
            ("implementationCode", .text(implementationCode)), ("publishedVersion", publishedVersion.map { .number(String($0)) } ?? .null),
        ])
    }
}

/// A new claim as proposed: the item, the agency, its level and region, and the details.
public struct ClaimDraft: Sendable, Hashable {
    public var catalogCode: String
    public var agencyCode: String
    public var department: String
    public var level: ClaimLevel
    /// Nil: the region inside the agency's USCC.
    public var regionCode: String?
    public var details: ClaimDetails

    public init(catalogCode: String, agencyCode: String, department: String, level: ClaimLevel, regionCode: String?, details: ClaimDetails) {
        self.catalogCode = catalogCode
        self.agencyCode = agencyCode
        self.department = department
        self.level = level
        self.regionCode = regionCode
        self.details = details
    }
}

/// What the store looked up for a new claim: the catalog item (nil: unknown), whether the agency is the
/// department's, its name, and whether the agency holds an open claim of the item already.
public struct ClaimFacts: Sendable, Hashable {
    public struct Item: Sendable, Hashable {
        public var active: Bool
        /// The levels the catalog allows (`3|4` read into numbers).
        public var levels: Set<Int>

        public init(active: Bool, levels: Set<Int>) {
            self.active = active
            self.levels = levels
        }

        /// Reads the catalog's `levels` text (`3|4`, `3`, …).
        public init(active: Bool, levelsText: String) {
            self.init(active: active, levels: Set(levelsText.split(separator: "|").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }))
        }
    }

    public var item: Item?
    public var agencyOfDepartment: Bool
    public var agencyName: String
    public var openClaimExists: Bool

    public init(item: Item?, agencyOfDepartment: Bool, agencyName: String, openClaimExists: Bool) {
        self.item = item
        self.agencyOfDepartment = agencyOfDepartment
        self.agencyName = agencyName
        self.openClaimExists = openClaimExists
    }
}
