import HubModel

/// The hub's answer for one record as the message log (报送日志) keeps it: what ops need to find the record and
/// to coach the department about a refusal — not the record itself (its stored version is one link away).
public struct MessageAnswer: Sendable, Hashable, Codable {
    public var index: Int
    public var localId: String?
    public var status: RecordResult.Status
    public var version: Int?
    /// The item code as the department sent it (implementation-list code or local code).
    public var itemCode: String?
    /// The catalog item the hub resolved it to (accepted and held records).
    public var catalogCode: String?
    public var reviewId: Int64?
    public var errors: [FieldError]

    public init(
        index: Int,
        localId: String?,
        status: RecordResult.Status,
        version: Int? = nil,
        itemCode: String? = nil,
        catalogCode: String? = nil,
        reviewId: Int64? = nil,
        errors: [FieldError] = []
    ) {
        self.index = index
        self.localId = localId
        self.status = status
        self.version = version
        self.itemCode = itemCode
        self.catalogCode = catalogCode
        self.reviewId = reviewId
        self.errors = errors
    }

    /// The answer for a result; `itemCode`: the code the record carried, when it could be read.
    public init(_ result: RecordResult, itemCode: String?) {
        self.init(
            index: result.index,
            localId: result.localId,
            status: result.status,
            version: result.version,
            itemCode: itemCode,
            catalogCode: result.catalogCode,
            reviewId: result.reviewId,
            errors: result.errors
        )
    }
}

/// How a batch went as a whole, the message log's status column: the worst of its records' answers, or
/// `refused` when the batch itself was refused (malformed body, schema, signature, replay) and no record was read.
public enum MessageBatchStatus: String, Sendable, CaseIterable, Codable {
    /// Every record accepted (or a duplicate of one already kept).
    case accepted
    /// Some records held for review, none rejected.
    case held
    /// At least one record rejected.
    case rejected
    /// The whole batch refused before any record was answered.
    case refused
}

/// What the log's row says of a batch: counts, status and the codes it is found by. Pure, so the rules of
/// "which status" and "which codes" are tested without a database.
public struct MessageSummary: Sendable, Hashable {
    public var status: MessageBatchStatus
    public var recordCount: Int
    public var accepted = 0
    public var held = 0
    public var duplicate = 0
    public var rejected = 0
    /// Distinct error codes of the rejected records (or of the batch's refusal), sorted.
    public var errorCodes: [String]
    /// Distinct item codes, sent and resolved, sorted; capped so one huge batch cannot bloat the index.
    public var itemCodes: [String]

    /// The most item codes a row keeps for filtering.
    public static let maxItemCodes = 200

    public init(answers: [MessageAnswer]) {
        recordCount = answers.count
        for a in answers {
            switch a.status {
            case .accepted: accepted += 1
            case .held: held += 1
            case .duplicate: duplicate += 1
            case .rejected: rejected += 1
            }
        }
        status = rejected > 0 ? .rejected : held > 0 ? .held : .accepted
        errorCodes = Array(Set(answers.flatMap { $0.errors.map(\.code) })).sorted()
        itemCodes = Array(Array(Set(answers.flatMap { [$0.itemCode, $0.catalogCode].compactMap { $0 } })).sorted().prefix(Self.maxItemCodes))
    }

    /// A batch refused as a whole for these errors.
    public init(refusal errors: [FieldError]) {
        status = .refused
        recordCount = 0
        errorCodes = Array(Set(errors.map(\.code))).sorted()
        itemCodes = []
    }
}
