/// A version of a record as stored (or as the writer just stored it): what the planner compares a new
/// version with, and what a duplicate's answer repeats.
public struct StoredVersion: Sendable, Hashable {
    public var version: Int
    public var contentHash: [UInt8]
    public var status: RecordResult.Status
    /// `I`, `U` or `D`: how this version reaches the province.
    public var operation: String
    public var ledgerSeq: Int64?
    public var entryHash: String?
    public var catalogCode: String?
    public var implementationCode: String?
    public var rule: String?
    public var reviewId: Int64?

    public init(
        version: Int,
        contentHash: [UInt8],
        status: RecordResult.Status,
        operation: String,
        ledgerSeq: Int64? = nil,
        entryHash: String? = nil,
        catalogCode: String? = nil,
        implementationCode: String? = nil,
        rule: String? = nil,
        reviewId: Int64? = nil
    ) {
        self.version = version
        self.contentHash = contentHash
        self.status = status
        self.operation = operation
        self.ledgerSeq = ledgerSeq
        self.entryHash = entryHash
        self.catalogCode = catalogCode
        self.implementationCode = implementationCode
        self.rule = rule
        self.reviewId = reviewId
    }
}

extension RecordResult {
    /// Repeats a stored version's facts in the answer.
    mutating func fill(from stored: StoredVersion) {
        version = stored.version
        operation = stored.operation
        ledgerSeq = stored.ledgerSeq
        entryHash = stored.entryHash
        catalogCode = stored.catalogCode
        implementationCode = stored.implementationCode
        rule = stored.rule
        reviewId = stored.reviewId
    }
}
