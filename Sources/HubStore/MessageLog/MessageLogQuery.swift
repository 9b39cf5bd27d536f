import Foundation

/// What the message log list is filtered by. Every field optional; the store turns the set ones, and only
/// those, into conditions, so each combination meets the index made for it (see migration 23).
public struct MessageLogFilter: Sendable, Hashable {
    /// The status filter: a batch status, or a record status the batch has at least one of.
    public enum Status: String, Sendable, CaseIterable {
        /// Any record rejected, or the whole batch refused.
        case rejected
        /// The whole batch refused (malformed, schema, signature, replay).
        case refused
        /// Any record held for review.
        case held
        /// Any record answered duplicate.
        case duplicate
        /// Every record accepted (or duplicate).
        case accepted
    }

    public var department: String?
    public var status: Status?
    public var errorCode: String?
    public var itemCode: String?
    /// From this moment on (inclusive).
    public var from: Date?
    /// Before this moment (exclusive).
    public var until: Date?
    /// A batch id or its beginning.
    public var batchId: String?
    public var direction: MessageDirection?
    /// The departments the reader may see (nil: all): a scoped account's.
    public var scope: [String]?

    public init(
        department: String? = nil,
        status: Status? = nil,
        errorCode: String? = nil,
        itemCode: String? = nil,
        from: Date? = nil,
        until: Date? = nil,
        batchId: String? = nil,
        direction: MessageDirection? = nil,
        scope: [String]? = nil
    ) {
        self.department = department
        self.status = status
        self.errorCode = errorCode
        self.itemCode = itemCode
        self.from = from
        self.until = until
        self.batchId = batchId
        self.direction = direction
        self.scope = scope
    }
}

/// One page of the log, newest first, and the id to continue after (nil at the end).
public struct MessageLogPage: Sendable {
    public var batches: [MessageLogStore.Batch]
    /// The last batch's id when more follow: the keyset cursor of the next page.
    public var next: Int64?
}
