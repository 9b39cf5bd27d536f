import HubModel

/// One condition of a rule. A rule fires when all of its conditions hold.
public enum RiskCondition: Sendable {
    /// Terms found in text fields (one pass of the model's `TermMatcher`).
    case terms(TermCondition)
    /// Regular expressions, for what a list of terms cannot say (a number followed by `%` after `年化`).
    case patterns(PatternCondition)
    /// A value of the observation's structured fields.
    case field(FieldCondition)
    /// A fact the store gathered about the subject (`RiskFacts`).
    case fact(FactCondition)
}

/// The text fields a rule may read; the spelling is the push document's.
public enum TextField: String, Sendable, Hashable, CaseIterable {
    case text
    case productName
    case advertiser
    case shop
    case seller

    /// The field's text in `observation`, nil when the observation has no such field.
    public func value(in observation: Observation) -> String? {
        switch (self, observation.detail) {
        case (.text, .advertisement(let ad)): ad.text
        case (.advertiser, .advertisement(let ad)): ad.advertiser
        case (.text, .listing(let l)): l.text
        case (.productName, .listing(let l)): l.productName
        case (.shop, .listing(let l)): l.shop
        case (.seller, .listing(let l)): l.seller
        case (.text, .complaint(let c)): c.text
        default: nil
        }
    }
}

/// Terms in `fields`: at least one of `any` (when given) and every one of `all`.
///
/// `except` lists near-misses: an occurrence of a term inside (overlapping) an occurrence of an `except` term does
/// not count — `保证` inside `不保证`, `处方药` inside `非处方药`. `unless` vetoes the condition when any of its
/// terms appears anywhere in the fields (`本广告仅供医学药学专业人士阅读`).
public struct TermCondition: Sendable, Hashable {
    public var fields: [TextField]
    public var any: [String]
    public var all: [String]
    public var except: [String]
    public var unless: [String]
    /// The terms' ids in the model's matcher (sets, built once at load: evaluation allocates none).
    var anyIds: Set<Int> = []
    var allIds: Set<Int> = []
    var exceptIds: Set<Int> = []
    var unlessIds: Set<Int> = []
    /// `anyIds` ∪ `allIds`: the occurrences that count.
    var countedIds: Set<Int> = []
}

/// Regular expressions over `fields` (folded: full-width digits and letters read as ASCII); any one matching holds.
///
/// `prefilter`: terms one of which must occur in the fields for the expressions to run at all — a regular
/// expression costs far more than the one scan of the term matcher, so a file names the words its expressions
/// cannot match without (`治愈`, `年化` …). Not highlighted: only the expressions' matches are.
public struct PatternCondition: Sendable {
    public var fields: [TextField]
    public var prefilter: [String]
    public var patterns: [CompiledPattern]
    var prefilterIds: Set<Int> = []
}

/// A regular expression of a model file, compiled once at load (case-insensitive).
public struct CompiledPattern: @unchecked Sendable {
    /// As the file writes it.
    public let source: String
    /// `Regex` is not declared `Sendable` (its output type erases to `AnyRegexOutput`), but a compiled regex is an
    /// immutable value whose lazily lowered program is published atomically: sharing it across tasks is safe.
    let regex: Regex<AnyRegexOutput>

    init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source).ignoresCase().matchingSemantics(.unicodeScalar)
    }

    func wholeMatches(_ text: String) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }
}

/// Tri-state of a listing's `prescriptionChecked`.
public enum CheckState: String, Sendable, Hashable, CaseIterable {
    case `true`, `false`, unknown
}

/// How an advertisement's 广告批准文号 fails.
public enum ApprovalProblem: String, Sendable, Hashable, CaseIterable {
    case absent
    case malformed
    case absentOrMalformed = "absent_or_malformed"
}

/// A condition on the observation's structured fields.
public enum FieldCondition: Sendable {
    case product(Set<AdvertisedProduct>)
    case category(Set<ListingCategory>)
    case prescription(Bool)
    case prescriptionChecked(Set<CheckState>)
    /// The device class is one of these (`0` stands for "not given").
    case deviceClass(Set<Int>)
    /// The approval number is missing or does not match any of `formats` (whole match).
    case approvalNumber(ApprovalProblem, formats: [CompiledPattern])
}

/// A condition on what the hub knows of the subject.
public enum FactCondition: Sendable, Hashable {
    /// No licence of any of these kinds in force on the observation's date.
    case noLicence(Set<LicenceKind>)
    /// At least this many complaints against the subject in the facts' window.
    case complaintsAtLeast(Int)
}
