import HubModel

/// A publication's state: on the public side, kept from it with a reason, or withdrawn (撤回, still shown).
public enum PublicationStatus: String, Sendable, CaseIterable, Codable {
    case published, withheld, withdrawn

    public var chineseName: String {
        switch self {
        case .published: "已公示"
        case .withheld: "不予公示"
        case .withdrawn: "已撤回"
        }
    }
}

/// Why a publication is withdrawn (撤回, DOMAIN.md §7).
public enum WithdrawalReason: String, Sendable, CaseIterable, Codable {
    case revoked
    case changedByReconsideration = "changed_by_reconsideration"
    case changedByLitigation = "changed_by_litigation"
    case creditRepair = "credit_repair"
    case other

    public var chineseName: String {
        switch self {
        case .revoked: "决定被撤销"
        case .changedByReconsideration: "经行政复议变更"
        case .changedByLitigation: "经行政诉讼变更"
        case .creditRepair: "信用修复"
        case .other: "其他"
        }
    }
}

/// What the store writes for one accepted record version: decided here, without I/O, so that the rules
/// (what is published, what is withheld, the due date) are tested without a database.
public struct PublicationPlan: Sendable, Hashable {
    public var kind: PublicationKind
    public var department: String
    /// `department/localId`: a newer version of the same record updates the same publication.
    public var sourceKey: String
    public var status: PublicationStatus
    public var withheldReason: WithholdingReason?
    /// Nil when withheld: nothing of a withheld act is kept in publishable form.
    public var publication: RedactedPublication?
    public var actDate: CalendarDate?
    public var dueDate: CalendarDate?
    /// Why there is no due date ("公示期限待定：尚无 2027 年工作日历"), when there is none.
    public var duePending: String?

    /// The plan for an act pushed by `department` under its `localId`.
    public static func make(act: PublishableAct, localId: String, calendar: WorkingDays) -> PublicationPlan {
        let outcome = Redaction.redact(act)
        var plan = PublicationPlan(
            kind: act.kind,
            department: act.department,
            sourceKey: act.department + "/" + localId,
            status: .published,
            withheldReason: nil,
            publication: nil,
            actDate: act.actDate,
            dueDate: nil,
            duePending: nil
        )
        switch outcome {
        case .published(let p): plan.publication = p
        case .withheld(let reason):
            plan.status = .withheld
            plan.withheldReason = reason
        }
        switch PublicationDeadline.due(kind: act.kind, actDate: act.actDate, calendar: calendar) {
        case .success(let day): plan.dueDate = day
        case .failure(let pending): plan.duePending = pending.description
        }
        return plan
    }
}

extension PublicationDeadline {
    /// Penalty and licensing decisions: 7 working days (DOMAIN.md §7).
    public static let decisionWorkingDays = 7

    /// Why a due date cannot be given: the text is kept with the publication and shown on the public page and to
    /// ops, in Chinese.
    public enum Pending: Error, Sendable, Hashable, CustomStringConvertible {
        case missingYear(Int)
        case noActDate

        public var description: String {
            switch self {
            case .missingYear(let y): "公示期限待定：尚无 \(y) 年工作日历"
            case .noActDate: "公示期限待定：该行为没有日期"
            }
        }
    }

    /// The last day to publish an act of `kind` done on `actDate`: 7 working days for decisions, 20 for
    /// inspection and random-check results.
    public static func due(kind: PublicationKind, actDate: CalendarDate?, calendar: WorkingDays) -> Result<CalendarDate, Pending> {
        guard let actDate else { return .failure(.noActDate) }
        let days =
            switch kind {
            case .penalty, .licensing: decisionWorkingDays
            case .inspection, .randomCheckResult: randomCheckResultWorkingDays
            }
        do {
            return .success(try calendar.date(adding: days, workingDaysAfter: actDate))
        } catch {
            return .failure(.missingYear(error.year))
        }
    }
}
