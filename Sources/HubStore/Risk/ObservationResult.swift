import HubModel
import Supervision

/// The answer for one row of an observation batch, in the batch's order.
public struct ObservationResult: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Recorded, with its ledger entry.
        case accepted
        /// The department already sent this observation with the same content (a resend): nothing written.
        case duplicate
        /// Not taken: invalid (`errors` with paths), or its id was already used for other content
        /// (`observation_id_reused`).
        case rejected
    }

    public var index: Int
    public var status: Status
    public var observationId: String?
    public var kind: ObservationKind?
    public var ledgerSeq: Int64?
    public var errors: [FieldError]

    public init(
        index: Int,
        status: Status,
        observationId: String? = nil,
        kind: ObservationKind? = nil,
        ledgerSeq: Int64? = nil,
        errors: [FieldError] = []
    ) {
        self.index = index
        self.status = status
        self.observationId = observationId
        self.kind = kind
        self.ledgerSeq = ledgerSeq
        self.errors = errors
    }
}

/// An observation as stored: its row and the body as pushed (canonical JSON), for the console and the API.
public struct StoredObservation: Sendable, Hashable {
    /// The hub's row id (stable; the console's link).
    public var id: Int64
    public var department: String
    public var observationId: String
    public var kind: ObservationKind
    public var observedOn: CalendarDate
    public var subject: ObservedSubject
    public var regionCode: String?
    /// The observation as pushed, in its canonical JSON form (`Observation.json`).
    public var body: JSONValue
    /// When the hub received it (RFC 3339, UTC).
    public var receivedAt: String
    public var ledgerSeq: Int64
}

/// What the console's observation list filters on; nil means no bound.
public struct ObservationFilter: Sendable, Hashable {
    public var kind: ObservationKind?
    public var department: String?
    /// Observed on or after / on or before (inclusive).
    public var from: CalendarDate?
    public var to: CalendarDate?
    /// A USCC (exact) or a part of the subject's name.
    public var subject: String?
    /// Rows with a smaller id than this (the next page of a newest-first list).
    public var beforeId: Int64?

    public init(
        kind: ObservationKind? = nil,
        department: String? = nil,
        from: CalendarDate? = nil,
        to: CalendarDate? = nil,
        subject: String? = nil,
        beforeId: Int64? = nil
    ) {
        self.kind = kind
        self.department = department
        self.from = from
        self.to = to
        self.subject = subject
        self.beforeId = beforeId
    }
}
