import HubModel

/// The hub's answer for one record of a batch (DESIGN.md "Contracts").
public struct RecordResult: Sendable, Hashable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case accepted, held, duplicate, rejected
    }

    public var index: Int
    public var localId: String?
    public var status: Status
    public var version: Int?
    /// `I`, `U` or `D`: how this version will reach the province.
    public var operation: String?
    public var ledgerSeq: Int64?
    public var entryHash: String?
    public var catalogCode: String?
    public var implementationCode: String?
    public var rule: String?
    public var reviewId: Int64?
    /// For a duplicate: the status the original got (`accepted` or `held`).
    public var originalStatus: Status?
    public var errors: [FieldError]

    public init(index: Int, localId: String?, status: Status, errors: [FieldError] = []) {
        self.index = index
        self.localId = localId
        self.status = status
        self.errors = errors
    }
}
