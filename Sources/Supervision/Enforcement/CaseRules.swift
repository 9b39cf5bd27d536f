import HubModel

/// What the hub notes about an accepted event without refusing it.
public enum CaseFlag: String, Sendable, Hashable, CaseIterable, Codable {
    /// A general-procedure decision made after the statutory limit (`StatutoryLimits`).
    case overLimit = "over_limit"
}

/// The answer of `CaseRules` for one event.
public enum CaseVerdict: Sendable, Hashable {
    /// Recorded, with what is noted about it.
    case accepted(flags: Set<CaseFlag>)
    /// The case already holds this event, unchanged (a resend): nothing is written.
    case duplicate
    case rejected([FieldError])
}

/// The rules an event must meet against its case, decided without I/O: the store reads the case's accepted events
/// under a row lock and asks this for each new one, in order.
///
/// - Stages in order: filing first and once; no stage of a lower rank after one of a higher rank
///   (`stage_out_of_order`); once-only stages once (`stage_repeated`); nothing after closure (`case_closed`);
///   an extension only before the decision.
/// - A major decision (重大执法决定, DOMAIN.md §7: the case is marked major, a hearing was held, or the general
///   procedure) needs an earlier legal review whose latest opinion is `pass` (`legal_review_missing`).
/// - Service needs a decision (`decision_missing`); execution needs service (`execution_before_service`).
/// - Dates: not before filing (`date_before_filing`), not before the stages it follows
///   (`date_before_previous_stage`), not in the future beyond `skewSeconds` (`date_in_future`).
/// - The statutory limit is checked and flagged (`over_limit`), not refused.
public enum CaseRules {
    /// How far ahead of the hub's clock a department's time may be.
    public static let skewSeconds = 300.0

    /// Whether `events` (filing first) make a decision major.
    public static func isMajor(_ events: [CaseEvent]) -> Bool {
        events.contains {
            switch $0.data {
            case .filing(_, let procedure, let major, _): major || procedure == .general
            case .notice(_, _, _, let held, _): held
            default: false
            }
        }
    }

    /// Decides `event` (read at `path`, e.g. `events[3]`) against the case's accepted `history`, at `now` (epoch seconds).
    public static func evaluate(_ event: CaseEvent, history: [CaseEvent], path: String, now: Double) -> CaseVerdict {
        let stage = event.stage
        let at = "\(path).\(stage.rawValue)"
        if let earlier = history.first(where: { $0.eventId == event.eventId }) {
            if earlier == event { return .duplicate }
            return .rejected([
                FieldError(
                    path: "\(path).eventId",
                    code: "event_id_reused",
                    zh: "该案件已有此事件标识的不同内容的事件",
                    en: "the case already holds a different event with this event id"
                )
            ])
        }
        guard !history.isEmpty else {
            if stage == .filing { return accepted(event, history: history, path: path, now: now) }
            return .rejected([
                FieldError(
                    path: at,
                    code: "filing_missing",
                    zh: "案件尚未立案：第一个事件应为立案（filing）",
                    en: "the case is not filed: its first event is a filing"
                )
            ])
        }
        if history.contains(where: { $0.stage == .closure }) {
            return .rejected([FieldError(path: at, code: "case_closed", zh: "案件已结案归档，不能再记录环节", en: "the case is closed: no stage follows closure")])
        }
        if !stage.isRepeatable, history.contains(where: { $0.stage == stage }) {
            return .rejected([
                FieldError(path: at, code: "stage_repeated", zh: "案件已有「\(stage.nameZh)」环节，不能重复记录", en: "the case already holds its \(stage.rawValue)")
            ])
        }
        let reached = history.filter { $0.stage != .extension }.max { $0.stage.rank < $1.stage.rank }!.stage
        if stage == .extension ? history.contains(where: { $0.stage == .decision }) : stage.rank < reached.rank {
            return .rejected([
                FieldError(
                    path: at,
                    code: "stage_out_of_order",
                    zh: "「\(stage.nameZh)」不能在「\(stage == .extension ? CaseStage.decision.nameZh : reached.nameZh)」之后记录",
                    en: "\(stage.rawValue) cannot follow \(stage == .extension ? CaseStage.decision.rawValue : reached.rawValue)"
                )
            ])
        }
        switch stage {
        case .decision:
            let reviews = history.compactMap { if case .legalReview(_, _, let opinion, _) = $0.data { opinion } else { nil } }
            if isMajor(history), reviews.last != .pass {
                return .rejected([
                    FieldError(
                        path: at,
                        code: "legal_review_missing",
                        zh: reviews.isEmpty
                            ? "重大执法决定（一般程序、重大案件或经听证）作出前应经法制审核通过"
                            : "重大执法决定作出前应经法制审核通过：最近一次法制审核意见为退回",
                        en: reviews.isEmpty
                            ? "a major decision (general procedure, major case or after a hearing) needs a passing legal review first"
                            : "a major decision needs a passing legal review first: the latest review returned the case"
                    )
                ])
            }
        case .service where !history.contains(where: { $0.stage == .decision }):
            return .rejected([FieldError(path: at, code: "decision_missing", zh: "尚未作出决定，不能送达", en: "no decision has been made to serve")])
        case .execution where !history.contains(where: { $0.stage == .service }):
            return .rejected([
                FieldError(path: at, code: "execution_before_service", zh: "决定书送达前不能执行", en: "a decision is executed only after it is served")
            ])
        default:
            break
        }
        return accepted(event, history: history, path: path, now: now)
    }

    /// The date checks of an event that passed the order rules, and its flags.
    static func accepted(_ event: CaseEvent, history: [CaseEvent], path: String, now: Double) -> CaseVerdict {
        let at = "\(path).\(event.stage.rawValue)"
        var errors: [FieldError] = []
        var times: [(String, Timestamp)] = [("date", event.date)]
        switch event.data {
        case .investigation(_, let evidence): times += evidence.enumerated().map { ("evidence[\($0.offset)].time", $0.element.time) }
        case .notice(_, _, _, _, let hearing?): times.append(("hearingDate", hearing))
        case .execution(_, let payments, _): times += payments.enumerated().map { ("payments[\($0.offset)].date", $0.element.date) }
        default: break
        }
        for (field, time) in times where time.epochSeconds > now + skewSeconds {
            errors.append(FieldError(path: "\(at).\(field)", code: "date_in_future", zh: "时间晚于当前时间", en: "the time is in the future"))
        }
        if let filing = history.first, event.date < filing.date {
            errors.append(FieldError(path: "\(at).date", code: "date_before_filing", zh: "时间早于立案时间", en: "the time is before the filing"))
        } else if event.stage != .extension,
            let previous = history.filter({ $0.stage != .extension && $0.stage.rank < event.stage.rank }).max(by: { $0.date < $1.date }),
            event.date < previous.date
        {
            errors.append(
                FieldError(
                    path: "\(at).date",
                    code: "date_before_previous_stage",
                    zh: "时间早于之前的「\(previous.stage.nameZh)」环节（\(previous.date.text)）",
                    en: "the time is before the earlier \(previous.stage.rawValue) (\(previous.date.text))"
                )
            )
        }
        if case .notice(let date, _, _, _, let hearing?) = event.data, hearing < date {
            errors.append(
                FieldError(path: "\(at).hearingDate", code: "date_before_previous_stage", zh: "听证时间早于告知时间", en: "the hearing is before the notice")
            )
        }
        guard errors.isEmpty else { return .rejected(errors) }
        var flags: Set<CaseFlag> = []
        if event.stage == .decision, StatutoryLimits.check(history + [event], today: StatutoryLimits.day(event.date)).status == .overLimit {
            flags.insert(.overLimit)
        }
        return .accepted(flags: flags)
    }
}
