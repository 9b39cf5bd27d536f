/// The province's verdict on one uploaded row: what its signed receipt says (`ProvincialReceipt`) and what the
/// outbox records (`OutboxStore.apply`) — one type for both, so the two cannot drift apart.
public struct ProvincialRowOutcome: Sendable, Hashable {
    public enum Status: String, Sendable { case accepted, duplicate, rejected }
    public var cdId: String
    public var status: Status
    /// A rejection the province expects to clear by itself (try again later), as opposed to a final one.
    public var retryable: Bool
    public var code: String?
    public var message: String?

    public init(cdId: String, status: Status, retryable: Bool = false, code: String? = nil, message: String? = nil) {
        self.cdId = cdId
        self.status = status
        self.retryable = retryable
        self.code = code
        self.message = message
    }
}
