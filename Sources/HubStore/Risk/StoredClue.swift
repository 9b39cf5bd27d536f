import HubModel
import Supervision

/// A clue as the store keeps it: its lifecycle state and what it is about. What the console, the reports and the
/// department API read.
public struct StoredClue: Sendable, Hashable {
    public var state: ClueState
    /// A `RiskModelID` raw value where the model is one of the five; the province's own model name otherwise.
    public var model: String
    public var modelVersion: String?
    public var subjectUSCC: String?
    public var subjectName: String
    /// 行政区划代码: the observation's, or the USCC's registration region.
    public var regionCode: String?
    /// 行业 when known (nil for now: neither feed carries it).
    public var industry: String?
    /// The departments the province named (the first is the lead that gets the clue), or the reporting department.
    public var namedDepartments: [String]
    public var summary: String
    /// The province's evidence (`{"summary","evidence"}`), or the city warning's reasons (`RiskWarning`'s rules,
    /// matched text and facts, score and threshold).
    public var evidence: JSONValue
    /// The observation a city warning came from: its reporting department and id.
    public var observationDepartment: String?
    public var observationId: String?
    public var score: Double?
    public var threshold: Double?
    /// When the province issued it (its own text).
    public var issuedAt: String?
    public var receivedOn: CalendarDate
    /// Why the due date is missing (no calendar for a year), when it is.
    public var duePending: String?
    /// When the overdue pass flagged it (ISO 8601, `+08:00`).
    public var escalatedAt: String?

    public var clueId: String { state.clueId }
    public var origin: ClueOrigin { state.origin }
    public var status: ClueStatus { state.status }
    public func isOverdue(on today: CalendarDate) -> Bool { state.isOverdue(on: today) }

    /// Reads a row as `to_jsonb(clues)` gives it.
    init?(row v: JSONValue) {
        func date(_ name: String) -> CalendarDate? { v[name]?.stringValue.flatMap { CalendarDate(String($0.prefix(10))) } }
        func text(_ name: String) -> String? { v[name]?.stringValue }
        func number(_ name: String) -> Double? { if case .number(let n)? = v[name] { Double(n) } else { nil } }
        guard let clueId = text("clue_id"), let origin = text("origin").flatMap(ClueOrigin.init(rawValue:)),
            let status = text("status").flatMap(ClueStatus.init(rawValue:)), let model = text("model"), let received = date("received_on")
        else { return nil }
        let verification = text("verdict").flatMap(ClueVerdict.init(rawValue:)).map {
            ClueVerification(verdict: $0, findings: text("findings") ?? "")
        }
        self.state = ClueState(
            clueId: clueId,
            origin: origin,
            status: status,
            department: text("department"),
            verification: verification,
            disposition: v["disposition_detail"].flatMap(ClueDisposition.init(json:)),
            assignedOn: date("assigned_on"),
            verificationDue: date("verification_due"),
            verifiedOn: date("verified_on"),
            disposalDue: date("disposal_due"),
            disposedOn: date("disposed_on"),
            closedOn: date("closed_on"),
            overdueFrom: date("overdue_from"),
            escalatedPhase: text("escalated_phase").flatMap(ClueStatus.init(rawValue:))
        )
        self.model = model
        self.modelVersion = text("model_version")
        self.subjectUSCC = text("subject_uscc")
        self.subjectName = text("subject_name") ?? ""
        self.regionCode = text("region_code")
        self.industry = text("industry")
        self.namedDepartments = v["named_departments"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.summary = text("summary") ?? ""
        self.evidence = v["evidence"] ?? .object([])
        self.observationDepartment = text("observation_department")
        self.observationId = text("observation_id")
        self.score = number("score")
        self.threshold = number("threshold")
        self.issuedAt = text("issued_at")
        self.receivedOn = received
        self.duePending = text("due_pending")
        self.escalatedAt = text("escalated_at")
    }
}

/// One step a clue took (`clue_steps`): received, assigned, verified, disposed, closed, overdue.
public struct ClueStepRecord: Sendable, Hashable {
    public var seq: Int
    public var step: String
    /// `hub`, `ops:USER` or `department:CODE`.
    public var actor: String
    /// The ledger entry's payload.
    public var payload: JSONValue
    public var occurredOn: CalendarDate
    public var ledgerSeq: Int64
}

/// A clue with its steps in order: what the console's clue page and `GET /api/v1/clues/{clueId}` show.
public struct ClueDetail: Sendable, Hashable {
    public var clue: StoredClue
    public var steps: [ClueStepRecord]
}
