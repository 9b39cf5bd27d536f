import HubModel
import Supervision

/// The answer for one event of a batch, in the batch's order.
public struct CaseEventResult: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Recorded, with its ledger entry and its outbox row.
        case accepted
        /// The case already holds this event unchanged (a resend): nothing written.
        case duplicate
        case rejected
    }

    public var index: Int
    public var status: Status
    public var caseNo: String?
    public var eventId: String?
    public var stage: CaseStage?
    /// The event's place in its case (1 = the filing).
    public var seq: Int?
    public var ledgerSeq: Int64?
    public var flags: [CaseFlag] = []
    public var errors: [FieldError] = []

    public init(index: Int, status: Status, caseNo: String? = nil, eventId: String? = nil, stage: CaseStage? = nil, errors: [FieldError] = []) {
        self.index = index
        self.status = status
        self.caseNo = caseNo
        self.eventId = eventId
        self.stage = stage
        self.errors = errors
    }
}

/// A stored event of a case, as the timeline shows it.
public struct StoredCaseEvent: Sendable, Hashable {
    public var seq: Int
    public var event: CaseEvent
    public var flags: [CaseFlag]
    public var ledgerSeq: Int64
}

/// A case with its events in order.
public struct StoredCase: Sendable, Hashable {
    public var department: String
    public var caseNo: String
    public var summary: CaseSummary
    public var events: [StoredCaseEvent]
}
