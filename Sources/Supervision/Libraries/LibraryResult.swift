import HubModel

/// The answer for one row of a library batch, in the batch's order.
public struct LibraryResult: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Written, with its ledger entry.
        case accepted
        /// The library already held this content: nothing written, no ledger entry (an idempotent resend).
        case unchanged
        case rejected
    }

    public var index: Int
    public var status: Status
    /// The row's key in its library (`LibraryRow.key`), when the row could be read.
    public var key: String?
    public var operation: LibraryOperation?
    public var ledgerSeq: Int64?
    public var errors: [FieldError]

    public init(
        index: Int,
        status: Status,
        key: String? = nil,
        operation: LibraryOperation? = nil,
        ledgerSeq: Int64? = nil,
        errors: [FieldError] = []
    ) {
        self.index = index
        self.status = status
        self.key = key
        self.operation = operation
        self.ledgerSeq = ledgerSeq
        self.errors = errors
    }
}
