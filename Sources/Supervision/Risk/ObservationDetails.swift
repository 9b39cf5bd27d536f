import HubModel

/// What an advertisement is for: the 广告法 rules for medical, drug and device ads apply to the first three.
public enum AdvertisedProduct: String, Sendable, Hashable, Codable, CaseIterable {
    case medicalService = "medical_service"
    case drug
    case device
    case healthFood = "health_food"
    case financial
    case other
}

/// An advertisement seen by a monitoring system or an inspector.
public struct Advertisement: Sendable, Hashable {
    /// 发布媒介: tv, radio, print, outdoor, web, social … (free text as the sender names it).
    public var medium: String
    /// The URL or the place where it was seen.
    public var location: String
    /// The advertisement's text (speech transcribed).
    public var text: String
    /// 广告主 as named in the ad.
    public var advertiser: String
    /// 广告批准文号 (e.g. `X药广审(文)第…号`) when the ad shows one.
    public var approvalNumber: String?
    public var product: AdvertisedProduct

    public init(medium: String, location: String, text: String, advertiser: String, approvalNumber: String?, product: AdvertisedProduct) {
        self.medium = medium
        self.location = location
        self.text = text
        self.advertiser = advertiser
        self.approvalNumber = approvalNumber
        self.product = product
    }
}

/// What an online listing sells.
public enum ListingCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case drug
    case device
    case healthFood = "health_food"
    case other
}

/// A product listed on an online platform (网络交易监测).
public struct OnlineListing: Sendable, Hashable {
    public var platform: String
    public var shop: String
    public var productName: String
    public var category: ListingCategory
    /// Whether the product is a prescription drug (处方药).
    public var prescription: Bool
    /// Whether the listing asks for a prescription before sale (处方审核), when known.
    public var prescriptionChecked: Bool?
    /// Medical device class 1, 2 or 3, for devices.
    public var deviceClass: Int?
    /// The seller as the platform names it (the subject carries the USCC when known).
    public var seller: String
    /// The listing's description text, where the claims are.
    public var text: String

    public init(
        platform: String,
        shop: String,
        productName: String,
        category: ListingCategory,
        prescription: Bool,
        prescriptionChecked: Bool?,
        deviceClass: Int?,
        seller: String,
        text: String
    ) {
        self.platform = platform
        self.shop = shop
        self.productName = productName
        self.category = category
        self.prescription = prescription
        self.prescriptionChecked = prescriptionChecked
        self.deviceClass = deviceClass
        self.seller = seller
        self.text = text
    }
}

/// A complaint or report (投诉举报) against a subject.
public struct Complaint: Sendable, Hashable {
    public var text: String
    /// 涉案金额 in fen (分), when the complainant names one.
    public var amountFen: Int64?
    /// The channel (12315, 12345, letter, …) as the sender names it.
    public var channel: String

    public init(text: String, amountFen: Int64?, channel: String) {
        self.text = text
        self.amountFen = amountFen
        self.channel = channel
    }
}

/// The licences and filings the models ask about.
public enum LicenceKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 药品经营许可证 (wholesale or retail).
    case drugTrading = "drug_trading"
    /// 医疗机构执业许可证.
    case medicalInstitution = "medical_institution"
    /// 医疗器械经营许可证 (class III devices).
    case deviceTrading = "device_trading"
    /// 第二类医疗器械经营备案.
    case deviceFiling = "device_filing"
    /// 金融许可证 or another licence for financial business (吸收公众存款、融资).
    case financial

    public var label: String {
        switch self {
        case .drugTrading: "药品经营许可证"
        case .medicalInstitution: "医疗机构执业许可证"
        case .deviceTrading: "医疗器械经营许可证"
        case .deviceFiling: "第二类医疗器械经营备案"
        case .financial: "金融许可证"
        }
    }
}

/// A licence or filing on record for a subject, as its issuing department reports it.
public struct LicenceFact: Sendable, Hashable {
    public var kind: LicenceKind
    public var number: String
    public var validFrom: CalendarDate
    /// Last valid day; `nil` for a filing without expiry.
    public var validUntil: CalendarDate?
    /// Revoked or cancelled licences stay on record but no longer count.
    public var revoked: Bool

    public init(kind: LicenceKind, number: String, validFrom: CalendarDate, validUntil: CalendarDate?, revoked: Bool = false) {
        self.kind = kind
        self.number = number
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revoked = revoked
    }

    /// Whether the licence was in force on `date`.
    public func inForce(on date: CalendarDate) -> Bool {
        !revoked && validFrom <= date && (validUntil.map { date <= $0 } ?? true)
    }
}
