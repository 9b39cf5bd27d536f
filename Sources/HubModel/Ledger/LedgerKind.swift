/// What act a ledger entry records. One spelling per kind (snake_case) for every entry written from now on.
///
/// The stored spelling is part of an entry's hash, so entries already written keep theirs: `LedgerEntry.kind`
/// holds the stored text and this enum reads the older spellings too (`review-decision` before
/// `review_decision`), so an old chain still verifies and still reads as the same kinds.
public enum LedgerKind: String, Sendable, CaseIterable, Hashable {
    /// An accepted record version (ingest or release after review).
    case record
    /// A confirmed mapping release of a department's local item (a person's, the matcher's, a profile's).
    case mapping
    /// A change of the provincial catalog.
    case catalog
    /// A signed tree head.
    case checkpoint
    /// A reviewer's decision that waits for a second person's approval.
    case reviewDecision = "review_decision"
    /// An act of ops staff or of the hub on their behalf: sign-ins, lookups, key rotations, requeues …
    case opsAction = "ops_action"
    /// The province's receipt for a delivered batch.
    case provincialReceipt = "provincial_receipt"
    /// A department's feedback on a task from the provincial feed.
    case taskFeedback = "task_feedback"
    /// A row of a random-check library (item, subject, inspector, conflict, credit grade) as pushed or imported.
    case randomCheckLibrary = "random_check_library"
    /// A random-check plan: proposed, approved (with its draw's commitment), or withdrawn.
    case randomCheckPlan = "random_check_plan"
    /// A draw: the frozen candidates' hash, the tasks, and the revealed seed.
    case randomCheckDraw = "random_check_draw"
    /// A joint-visit merge proposal accepted or declined.
    case randomCheckMerge = "random_check_merge"
    /// A bulletin (监管动态 or 曝光台): proposed, published by a second person, or withdrawn.
    case bulletin
    /// A stage event of an enforcement case (立案 … 结案), as the department pushed it, with the hub's flags.
    case caseEvent = "case_event"
    /// A publication (行政执法公示): made, updated or withheld for an accepted record version, or withdrawn (撤回).
    case publication
    /// A risk model (`Mappings/risk/<id>.yaml`) installed at a new version: its version, SHA-256 and the one before.
    case riskModel = "risk_model"
    /// An observation for the risk models (advertisement, listing, complaint, licence fact), as a department pushed it.
    case observation
    /// A clue (线索) received: from the province's feed, or raised by the city's own risk models.
    case clueReceived = "clue_received"
    /// A clue assigned (分派) to a department, by ops, by the province's naming, or by the city's default map.
    case clueAssigned = "clue_assigned"
    /// A clue verified (核查): true or false positive, with findings.
    case clueVerified = "clue_verified"
    /// A clue disposed of (处置): no problem, rectification ordered, case opened, transferred.
    case clueDisposed = "clue_disposed"
    /// A clue closed (办结).
    case clueClosed = "clue_closed"
    /// A clue flagged overdue (逾期), once per phase, from the first working day after its due date.
    case clueOverdue = "clue_overdue"
    /// A monthly warning report (风险预警报告) published: its figures and the SHA-256 of its PDF.
    case riskReport = "risk_report"
    /// 认领发布: a step of an agency's claim of a catalog item — claimed, adjustment or withdrawal proposed,
    /// approved (published) or rejected (`ClaimLifecycle`).
    case catalogClaim = "catalog_claim"
    /// An item set by local legislation (地方设立事项): registered with its provisional code, approved by a second
    /// person and sent to the province for coding, or coded (the provincial code that replaced the provisional one).
    case localItem = "local_item"

    /// Spellings written by earlier versions of the hub, still read.
    static let olderSpellings: [String: LedgerKind] = ["review-decision": .reviewDecision]

    /// The kind of a stored entry, whichever spelling it was written with; nil for a kind this hub does not know.
    public init?(stored: String) {
        if let kind = LedgerKind(rawValue: stored) ?? Self.olderSpellings[stored] { self = kind } else { return nil }
    }

    /// Every spelling this kind was stored with (for queries over old and new entries alike).
    public var storedSpellings: [String] {
        [rawValue] + Self.olderSpellings.filter { $0.value == self }.map(\.key).sorted()
    }
}
