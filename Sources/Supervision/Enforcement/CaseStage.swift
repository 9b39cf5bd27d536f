import HubModel

/// The stages of an enforcement case's full-process record (全过程记录, DOMAIN.md §7), in the order a case moves
/// through them. The raw value is the member name an event carries its stage under (`{"legalReview":{…}}`).
public enum CaseStage: String, Sendable, Hashable, CaseIterable, Codable {
    /// 立案 / 程序启动: the case is opened; names the procedure and whether it is a major case.
    case filing
    /// 调查取证: evidence gathered (repeatable).
    case investigation
    /// 告知: the party told of its rights (陈述申辩, 听证), and a hearing requested or held.
    case notice
    /// 法制审核: the legal review of a proposed decision (repeatable: a returned review is followed by another).
    case legalReview
    /// 集体讨论: the collective discussion of the department's heads (major cases).
    case collectiveDiscussion
    /// 延长办案期限: an approved extension of the statutory limit (repeatable, any time before the decision).
    case `extension`
    /// 决定: the decision (处罚决定书).
    case decision
    /// 送达: the decision served on the party.
    case service
    /// 执行: payments and enforcement measures (repeatable).
    case execution
    /// 结案 / 归档: the case closed and archived; nothing follows.
    case closure

    /// The position in the process: a stage may follow stages of the same or a lower rank, never a higher one.
    /// Legal review and collective discussion share a rank (either may come first); an extension has none
    /// (`CaseRules` places it before the decision).
    public var rank: Int {
        switch self {
        case .filing: 0
        case .investigation: 1
        case .notice: 2
        case .legalReview, .collectiveDiscussion: 3
        case .extension: 3
        case .decision: 4
        case .service: 5
        case .execution: 6
        case .closure: 7
        }
    }

    /// Stages a case may record more than once.
    public var isRepeatable: Bool {
        switch self {
        case .investigation, .notice, .legalReview, .collectiveDiscussion, .extension, .execution: true
        case .filing, .decision, .service, .closure: false
        }
    }

    /// The Chinese name shown to operators and in refusals.
    public var nameZh: String {
        switch self {
        case .filing: "立案"
        case .investigation: "调查取证"
        case .notice: "告知"
        case .legalReview: "法制审核"
        case .collectiveDiscussion: "集体讨论"
        case .extension: "延长办案期限"
        case .decision: "决定"
        case .service: "送达"
        case .execution: "执行"
        case .closure: "结案归档"
        }
    }
}

/// 处罚程序 (national dictionary `penalty_procedure`).
public enum CaseProcedure: String, Sendable, Hashable, CaseIterable, Codable {
    /// 简易程序 (当场处罚).
    case simple = "01"
    /// 一般程序: always a major decision for 法制审核 (DOMAIN.md §7: any penalty outside the simple procedure).
    case general = "02"
}

/// A legal review's opinion: only `pass` lets a major decision be made.
public enum LegalReviewOpinion: String, Sendable, Hashable, CaseIterable, Codable {
    /// 通过.
    case pass
    /// 退回 (补充调查 or 修改): the decision waits for a later review that passes.
    case `return`
}

/// The rights a notice tells the party of.
public enum NoticeRight: String, Sendable, Hashable, CaseIterable, Codable {
    /// 陈述、申辩.
    case statement
    /// 听证.
    case hearing
}

/// One item of evidence: what it is, when and by whom it was taken, and the document's digest and size (the
/// document itself stays with the department; the hub keeps what proves it unchanged).
public struct EvidenceItem: Sendable, Hashable {
    public var kind: String
    public var time: Timestamp
    public var handler: String
    /// SHA-256 of the document, 64 lowercase hex characters.
    public var sha256: String
    public var size: Int64

    public init(kind: String, time: Timestamp, handler: String, sha256: String, size: Int64) {
        self.kind = kind
        self.time = time
        self.handler = handler
        self.sha256 = sha256
        self.size = size
    }
}

/// A payment towards a decision's fine.
public struct CasePayment: Sendable, Hashable {
    /// Yuan, exact decimal text (`Money`).
    public var amount: String
    public var date: Timestamp

    public init(amount: String, date: Timestamp) {
        self.amount = amount
        self.date = date
    }
}

/// What an event says, by stage. Every stage carries its `date` (a time with its UTC offset, as records do).
public enum CaseStageData: Sendable, Hashable {
    case filing(date: Timestamp, procedure: CaseProcedure, major: Bool, summary: String?)
    case investigation(date: Timestamp, evidence: [EvidenceItem])
    case notice(date: Timestamp, rights: [NoticeRight], hearingRequested: Bool, hearingHeld: Bool, hearingDate: Timestamp?)
    case legalReview(date: Timestamp, reviewer: String, opinion: LegalReviewOpinion, text: String?)
    case collectiveDiscussion(date: Timestamp, conclusion: String)
    case `extension`(date: Timestamp, approvedBy: String, limitDays: Int)
    case decision(date: Timestamp, decisionNo: String, penaltyKinds: [String], fine: String?, penaltyLocalId: String?)
    case service(date: Timestamp, method: String)
    case execution(date: Timestamp, payments: [CasePayment], measures: [String])
    case closure(date: Timestamp, archiveNo: String?)

    public var stage: CaseStage {
        switch self {
        case .filing: .filing
        case .investigation: .investigation
        case .notice: .notice
        case .legalReview: .legalReview
        case .collectiveDiscussion: .collectiveDiscussion
        case .extension: .extension
        case .decision: .decision
        case .service: .service
        case .execution: .execution
        case .closure: .closure
        }
    }

    public var date: Timestamp {
        switch self {
        case .filing(let d, _, _, _), .investigation(let d, _), .notice(let d, _, _, _, _), .legalReview(let d, _, _, _),
            .collectiveDiscussion(let d, _), .extension(let d, _, _), .decision(let d, _, _, _, _), .service(let d, _),
            .execution(let d, _, _), .closure(let d, _):
            d
        }
    }
}
