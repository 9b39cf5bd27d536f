import HubModel

/// What a publication is about (行政执法公示): each kind has its own deadline (DOMAIN.md §7).
public enum PublicationKind: String, Sendable, CaseIterable, Codable {
    case penalty, inspection, licensing
    case randomCheckResult = "random_check_result"

    /// 公示类别, as the public pages name it.
    public var chineseName: String {
        switch self {
        case .penalty: "行政处罚"
        case .inspection: "行政检查"
        case .licensing: "行政许可"
        case .randomCheckResult: "双随机抽查结果"
        }
    }
}

/// 行政相对人性质 (dictionary `party_nature`).
public enum PartyNature: String, Sendable, CaseIterable, Codable {
    case citizen = "1"
    case legalPerson = "2"
    case otherOrganisation = "3"
}

/// One act that may be published, as the redaction rules need it: nothing here has been masked yet. Built by
/// the store from an accepted record version (`PublishableAct.init(record:)`) or by tests directly.
public struct PublishableAct: Sendable, Hashable {
    public var kind: PublicationKind
    public var title: String
    public var department: String
    public var agencyName: String
    public var party: Party
    /// Names of natural persons other than the party that may appear in free text (witnesses, the legal
    /// representative, relatives): each is masked wherever it appears. The record names them in
    /// `disclosure.persons`; inspectors and the submitter are added by `init(record:)`.
    public var otherPersons: [String]
    /// Other text the record marks as personal (health data, a home address): removed wherever it appears.
    public var sensitiveTexts: [String]
    /// The free-text and coded fields in publication order; every value goes through the scrubber.
    public var fields: [Field]
    public var flags: Flags

    public struct Party: Sendable, Hashable {
        public var name: String
        public var nature: PartyNature
        public var idType: String
        public var idNumber: String
        public var addresses: [String]
        public var phones: [String]
        public var bankAccounts: [String]
        public var healthData: [String]

        public init(
            name: String,
            nature: PartyNature,
            idType: String,
            idNumber: String,
            addresses: [String] = [],
            phones: [String] = [],
            bankAccounts: [String] = [],
            healthData: [String] = []
        ) {
            self.name = name
            self.nature = nature
            self.idType = idType
            self.idNumber = idNumber
            self.addresses = addresses
            self.phones = phones
            self.bankAccounts = bankAccounts
            self.healthData = healthData
        }

        /// A natural person: 公民, or a natural person's document whatever nature was sent.
        public var isNaturalPerson: Bool { nature == .citizen || PersonalData.personalIdTypes.contains(idType) }

        /// 个体工商户: an organisation form whose USCC starts with 92 (registration authority 9, category 2).
        /// Its name and USCC are public like any business's, but its addresses and phones are the operator's.
        public var isIndividualBusiness: Bool { !isNaturalPerson && idType == "001" && idNumber.hasPrefix("92") }
    }

    /// One field of the publication: a stable key, its Chinese label and the raw value.
    public struct Field: Sendable, Hashable, Codable {
        public var key: String
        public var label: String
        public var value: String

        public init(_ key: String, _ label: String, _ value: String) {
            self.key = key
            self.label = label
            self.value = value
        }
    }

    /// Why nothing may be published at all (DOMAIN.md §7).
    public struct Flags: Sendable, Hashable {
        public var minor: Bool
        public var stateSecret: Bool
        public var tradeSecret: Bool

        public init(minor: Bool = false, stateSecret: Bool = false, tradeSecret: Bool = false) {
            self.minor = minor
            self.stateSecret = stateSecret
            self.tradeSecret = tradeSecret
        }
    }

    public init(
        kind: PublicationKind,
        title: String,
        department: String,
        agencyName: String,
        party: Party,
        otherPersons: [String] = [],
        sensitiveTexts: [String] = [],
        fields: [Field],
        flags: Flags = Flags()
    ) {
        self.kind = kind
        self.title = title
        self.department = department
        self.agencyName = agencyName
        self.party = party
        self.otherPersons = otherPersons
        self.sensitiveTexts = sensitiveTexts
        self.fields = fields
        self.flags = flags
    }
}

/// Why an act is kept from the public; kept with the publication so that ops can see it.
public enum WithholdingReason: String, Sendable, CaseIterable, Codable {
    case minor
    case stateSecret = "state_secret"
    case tradeSecret = "trade_secret"

    public var chineseText: String {
        switch self {
        case .minor: "当事人为未成年人，不予公示"
        case .stateSecret: "涉及国家秘密，不予公示"
        case .tradeSecret: "涉及商业秘密，不予公示"
        }
    }
}
