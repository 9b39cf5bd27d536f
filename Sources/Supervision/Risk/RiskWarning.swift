/// A model's judgement that an observation warrants verification (核查), with the reasons an officer can check.
///
/// DOMAIN §6: "each warning must say why (the evidence and the rule)". `reasons` lists every rule line that fired,
/// the text it matched (with offsets for highlighting) and the facts it used.
public struct RiskWarning: Sendable, Hashable {
    public var model: RiskModelID
    /// The model file's `version` that produced the warning.
    public var modelVersion: String
    public var observationId: String
    public var department: String
    public var subject: ObservedSubject
    /// Sum of the fired rules' weights, and the model's threshold it reached.
    public var score: Double
    public var threshold: Double
    public var reasons: [FiredRule]

    public init(
        model: RiskModelID,
        modelVersion: String,
        observationId: String,
        department: String,
        subject: ObservedSubject,
        score: Double,
        threshold: Double,
        reasons: [FiredRule]
    ) {
        self.model = model
        self.modelVersion = modelVersion
        self.observationId = observationId
        self.department = department
        self.subject = subject
        self.score = score
        self.threshold = threshold
        self.reasons = reasons
    }
}

/// One rule line of a model that fired on an observation.
public struct FiredRule: Sendable, Hashable {
    /// The rule's id in the model file.
    public var ruleId: String
    /// The rule's line as the file states it, in Chinese (e.g. `宣称治愈率或保证疗效`).
    public var description: String
    public var weight: Double
    /// Text the rule matched, for highlighting in the evidence view.
    public var matches: [TextMatch]
    /// Facts the rule used, in Chinese (e.g. `该统一社会信用代码名下无有效的药品经营许可证`).
    public var facts: [String]

    public init(ruleId: String, description: String, weight: Double, matches: [TextMatch] = [], facts: [String] = []) {
        self.ruleId = ruleId
        self.description = description
        self.weight = weight
        self.matches = matches
        self.facts = facts
    }
}

/// A span of an observation's text field that a rule matched.
///
/// Offsets count Unicode scalars (code points) from the start of the field, so that any client (Swift, Python,
/// JavaScript with `Array.from`) highlights the same characters.
public struct TextMatch: Sendable, Hashable {
    /// The field the text is in: `text`, `productName`, `advertiser` ….
    public var field: String
    public var offset: Int
    public var length: Int
    /// The matched text itself.
    public var text: String

    public init(field: String, offset: Int, length: Int, text: String) {
        self.field = field
        self.offset = offset
        self.length = length
        self.text = text
    }
}
