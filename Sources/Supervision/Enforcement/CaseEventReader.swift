import HubModel

/// Reads a pushed batch of case events (`{"events":[…]}`, or the same tree from XML) into events, each checked on
/// its own: members, types, lengths, times with their offset, money, digests, codes. Whether the event fits its
/// case (order, legal review, dates against the other events) is `CaseRules`' part.
///
/// Booleans and integers are also taken as their text (`"true"`, `"12"`), since the XML form carries only text.
public struct CaseEventReader: Sendable {
    public var maxEvents: Int
    /// The codes of the national dictionary `penalty_kind`.
    public var penaltyKinds: Set<String>

    public static let nationalPenaltyKinds: Set<String> = Set((1...14).map { $0 < 10 ? "0\($0)" : "\($0)" })

    public init(maxEvents: Int = 1000, penaltyKinds: Set<String> = CaseEventReader.nationalPenaltyKinds) {
        self.maxEvents = maxEvents
        self.penaltyKinds = penaltyKinds
    }

    /// An event as read: the event, or why it cannot be taken.
    public enum Outcome: Sendable, Hashable {
        case valid(CaseEvent)
        case invalid([FieldError])
    }

    /// The events of a batch. Whole-request problems (not an object, no list, too many) throw.
    public func read(_ document: JSONValue) throws(BatchError) -> [Outcome] {
        guard case .object(let members) = document else {
            throw BatchError([.wrongType("", expected: "object", found: document.typeName)])
        }
        var events: [JSONValue]?
        var errors: [FieldError] = []
        for (name, value) in members {
            if name == "events", case .array(let list) = value {
                events = list
            } else if name == "events" {
                errors.append(.wrongType(name, expected: "array", found: value.typeName))
            } else {
                errors.append(.unknownField(name))
            }
        }
        if events == nil, errors.isEmpty { errors.append(.required("events")) }
        if let events, events.isEmpty { errors.append(FieldError(path: "events", code: "empty", zh: "批次中没有事件", en: "the batch holds no event")) }
        if let events, events.count > maxEvents {
            errors.append(
                FieldError(path: "events", code: "too_many_events", zh: "每批最多 \(maxEvents) 个事件", en: "at most \(maxEvents) events per batch")
            )
        }
        guard errors.isEmpty, let events else { throw BatchError(errors) }
        return events.enumerated().map { index, event in read(event, path: "events[\(index)]") }
    }

    /// Reads one event found at `path`.
    public func read(_ value: JSONValue, path: String) -> Outcome {
        var top = Members(value, path: path, allowed: ["caseNo", "eventId"] + CaseStage.allCases.map(\.rawValue))
        let caseNo = top.text("caseNo", max: 100)
        let eventId = top.text("eventId", max: 64)
        if let eventId, eventId.contains(where: \.isWhitespace) {
            top.errors.append(
                FieldError(path: "\(path).eventId", code: "invalid_identifier", zh: "事件标识不能含空白", en: "an event id holds no white space")
            )
        }
        let stages = CaseStage.allCases.filter { top.members[$0.rawValue] != nil }
        guard top.isObject else { return .invalid(top.errors) }
        guard stages.count == 1, let stage = stages.first else {
            top.errors.append(
                stages.isEmpty
                    ? FieldError(
                        path: path,
                        code: "stage_missing",
                        zh: "事件应含一个环节（filing、investigation、notice、legalReview、collectiveDiscussion、extension、decision、service、execution、closure）",
                        en:
                            "an event holds one stage member (filing, investigation, notice, legalReview, collectiveDiscussion, extension, decision, service, execution, closure)"
                    )
                    : FieldError(
                        path: "\(path).\(stages[1].rawValue)",
                        code: "stage_ambiguous",
                        zh: "一个事件只能含一个环节",
                        en: "an event holds exactly one stage member"
                    )
            )
            return .invalid(top.errors)
        }
        let data = readStage(stage, top.members[stage.rawValue]!, path: "\(path).\(stage.rawValue)", errors: &top.errors)
        guard top.errors.isEmpty, let caseNo, let eventId, let data else { return .invalid(top.errors) }
        return .valid(CaseEvent(caseNo: caseNo, eventId: eventId, data: data))
    }

    /// The stage member of an event (also used to read a stored event's payload back).
    public func readStage(_ stage: CaseStage, _ value: JSONValue, path: String, errors: inout [FieldError]) -> CaseStageData? {
        var m: Members
        let data: CaseStageData?
        switch stage {
        case .filing:
            m = Members(value, path: path, allowed: ["date", "procedure", "major", "summary"])
            let date = m.time("date")
            let procedure = m.choice("procedure", CaseProcedure.self)
            let major = m.bool("major", required: false) ?? false
            let summary = m.text("summary", max: 2000, required: false)
            data = if let date, let procedure { .filing(date: date, procedure: procedure, major: major, summary: summary) } else { nil }
        case .investigation:
            m = Members(value, path: path, allowed: ["date", "evidence"])
            let date = m.time("date")
            var items: [EvidenceItem] = []
            for (i, element) in (m.list("evidence", min: 1, max: 200) ?? []).enumerated() {
                var e = Members(element, path: "\(path).evidence[\(i)]", allowed: ["kind", "time", "handler", "sha256", "size"])
                let kind = e.text("kind", max: 50)
                let time = e.time("time")
                let handler = e.text("handler", max: 50)
                let digest = e.sha256("sha256")
                let size = e.integer("size", in: 0...(1 << 40))
                m.errors += e.errors
                if let kind, let time, let handler, let digest, let size {
                    items.append(EvidenceItem(kind: kind, time: time, handler: handler, sha256: digest, size: size))
                }
            }
            data = if let date { .investigation(date: date, evidence: items) } else { nil }
        case .notice:
            m = Members(value, path: path, allowed: ["date", "rightsTold", "hearingRequested", "hearingHeld", "hearingDate"])
            let date = m.time("date")
            var rights: [NoticeRight] = []
            for (i, element) in (m.list("rightsTold", min: 1, max: 2) ?? []).enumerated() {
                if let right = m.choice(element, at: "\(path).rightsTold[\(i)]", NoticeRight.self) { rights.append(right) }
            }
            let requested = m.bool("hearingRequested", required: false) ?? false
            let held = m.bool("hearingHeld", required: false) ?? false
            let hearingDate = m.time("hearingDate", required: held)
            data =
                if let date { .notice(date: date, rights: rights, hearingRequested: requested, hearingHeld: held, hearingDate: hearingDate) } else {
                    nil
                }
        case .legalReview:
            m = Members(value, path: path, allowed: ["date", "reviewer", "opinion", "text"])
            let date = m.time("date")
            let reviewer = m.text("reviewer", max: 50)
            let opinion = m.choice("opinion", LegalReviewOpinion.self)
            let text = m.text("text", max: 2000, required: false)
            data = if let date, let reviewer, let opinion { .legalReview(date: date, reviewer: reviewer, opinion: opinion, text: text) } else { nil }
        case .collectiveDiscussion:
            m = Members(value, path: path, allowed: ["date", "conclusion"])
            let date = m.time("date")
            let conclusion = m.text("conclusion", max: 2000)
            data = if let date, let conclusion { .collectiveDiscussion(date: date, conclusion: conclusion) } else { nil }
        case .extension:
            m = Members(value, path: path, allowed: ["date", "approvedBy", "limitDays"])
            let date = m.time("date")
            let approvedBy = m.text("approvedBy", max: 50)
            let limit = m.integer("limitDays", in: 1...3650)
            data = if let date, let approvedBy, let limit { .extension(date: date, approvedBy: approvedBy, limitDays: Int(limit)) } else { nil }
        case .decision:
            m = Members(value, path: path, allowed: ["date", "decisionNo", "penaltyKinds", "fine", "penaltyLocalId"])
            let date = m.time("date")
            let number = m.text("decisionNo", max: 100)
            var kinds: [String] = []
            for (i, element) in (m.list("penaltyKinds", min: 1, max: 14) ?? []).enumerated() {
                let at = "\(path).penaltyKinds[\(i)]"
                guard case .string(let code) = element else {
                    m.errors.append(.wrongType(at, expected: "string", found: element.typeName))
                    continue
                }
                if penaltyKinds.contains(code) {
                    kinds.append(code)
                } else {
                    m.errors.append(.unknownCode(at, dictionary: "penalty_kind", value: code))
                }
            }
            let fine = m.money("fine")
            let localId = m.text("penaltyLocalId", max: 64, required: false)
            if fine == nil, kinds.contains("02"), m.members["fine"] == nil {
                m.errors.append(
                    FieldError(
                        path: "\(path).fine",
                        code: "required",
                        zh: "处罚种类含罚款时应填写罚款金额",
                        en: "a decision with a fine (kind 02) states the amount"
                    )
                )
            }
            data =
                if let date, let number { .decision(date: date, decisionNo: number, penaltyKinds: kinds, fine: fine, penaltyLocalId: localId) } else {
                    nil
                }
        case .service:
            m = Members(value, path: path, allowed: ["date", "method"])
            let date = m.time("date")
            let method = m.text("method", max: 50)
            data = if let date, let method { .service(date: date, method: method) } else { nil }
        case .execution:
            m = Members(value, path: path, allowed: ["date", "payments", "measures"])
            let date = m.time("date")
            var payments: [CasePayment] = []
            for (i, element) in (m.list("payments", min: 0, max: 100, required: false) ?? []).enumerated() {
                var p = Members(element, path: "\(path).payments[\(i)]", allowed: ["amount", "date"])
                let amount = p.money("amount", required: true)
                let paid = p.time("date")
                m.errors += p.errors
                if let amount, let paid { payments.append(CasePayment(amount: amount, date: paid)) }
            }
            var measures: [String] = []
            for (i, element) in (m.list("measures", min: 0, max: 20, required: false) ?? []).enumerated() {
                if let text = m.text(element, at: "\(path).measures[\(i)]", max: 200) { measures.append(text) }
            }
            if m.members["payments"] == nil, m.members["measures"] == nil {
                m.errors.append(
                    FieldError(path: "\(path).payments", code: "required", zh: "执行应至少含一笔缴款或一项执行措施", en: "an execution states a payment or a measure")
                )
            }
            data = if let date { .execution(date: date, payments: payments, measures: measures) } else { nil }
        case .closure:
            m = Members(value, path: path, allowed: ["date", "archiveNo"])
            let date = m.time("date")
            let archiveNo = m.text("archiveNo", max: 100, required: false)
            data = if let date { .closure(date: date, archiveNo: archiveNo) } else { nil }
        }
        errors += m.errors
        return m.errors.isEmpty ? data : nil
    }
}
