/// One risk model as its file `Mappings/risk/<id>.yaml` states it: which observations it reads, its rule lines
/// with their weights, and the score at which it warns. Decoded by `RiskModelLoader`; evaluated by
/// `RiskModel.evaluate` (pure).
///
/// A model warns when every `required` rule fired and the fired rules' weights reach `threshold`. Rules are data
/// so that the department that owns a model changes a term or a weight without a release of the hub; the file's
/// `version` and SHA-256 identify exactly what produced a warning.
public struct RiskModel: Sendable {
    public var id: RiskModelID
    /// The file's `version` (a changed file must bump it: the store refuses a changed file under an old version).
    public var version: String
    /// The model's name as the file gives it (e.g. `虚假医疗广告监测`).
    public var name: String
    /// The laws and articles the model rests on, as the file cites them.
    public var basis: [String]
    public var threshold: Double
    public var appliesTo: RiskScope
    public var rules: [RiskRule]
    /// SHA-256 (hex) of the file's bytes: what the store compares to know whether the model changed.
    public var sha256: String
    /// Where it was read from (for messages).
    public var file: String
    /// The file's text, stored with each version.
    public var source: String

    /// Every term of every rule, compiled once.
    let matcher: TermMatcher
}

/// Which observations a model reads. `products` and `categories` narrow advertisements and listings; nil: any.
public struct RiskScope: Sendable, Hashable {
    public var kinds: Set<ObservationKind>
    public var products: Set<AdvertisedProduct>?
    public var categories: Set<ListingCategory>?

    public init(kinds: Set<ObservationKind>, products: Set<AdvertisedProduct>? = nil, categories: Set<ListingCategory>? = nil) {
        self.kinds = kinds
        self.products = products
        self.categories = categories
    }

    public func covers(_ observation: Observation) -> Bool {
        guard kinds.contains(observation.kind) else { return false }
        switch observation.detail {
        case .advertisement(let ad): return products?.contains(ad.product) ?? true
        case .listing(let listing): return categories?.contains(listing.category) ?? true
        case .complaint, .licence: return true
        }
    }
}

/// One rule line: all its conditions must hold for it to fire. A `required` rule is a gate: the model warns only
/// when it fired (e.g. "no financial licence" for illegal fundraising, whatever the wording of the ad).
public struct RiskRule: Sendable {
    public var id: String
    /// The rule's line in Chinese, shown with the warning (`宣称治愈率或有效率`).
    public var description: String
    /// The article the rule applies (e.g. `广告法第十六条第一款第（二）项`), when the file cites one.
    public var basis: String?
    public var weight: Double
    public var required: Bool
    public var conditions: [RiskCondition]
}
