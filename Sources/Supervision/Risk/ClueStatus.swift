import HubModel

/// Where a clue (线索) came from: the province's risk models (省平台下发) or the city's own (本市模型预警).
public enum ClueOrigin: String, Sendable, Hashable, CaseIterable {
    case province
    case city

    public var label: String {
        switch self {
        case .province: "省平台下发"
        case .city: "本市预警"
        }
    }
}

/// Where a clue stands in its one lifecycle (核查处置): 待分派 → 已分派 → 已核查 → 已处置 → 已办结.
///
/// A false positive goes from 已核查 straight to 已办结 (see `ClueLifecycle`). The raw value is the one spelling used
/// in the database, the API and the province's feedback.
public enum ClueStatus: String, Sendable, Hashable, CaseIterable {
    case pending
    case assigned
    case verified
    case disposed
    case closed

    public var label: String {
        switch self {
        case .pending: "待分派"
        case .assigned: "已分派"
        case .verified: "已核查"
        case .disposed: "已处置"
        case .closed: "已办结"
        }
    }
}

/// The verifying officer's conclusion (核查结论).
public enum ClueVerdict: String, Sendable, Hashable, CaseIterable {
    /// The warning was right: a violation or a real risk was found.
    case truePositive = "true_positive"
    /// Nothing to it (误报).
    case falsePositive = "false_positive"

    public var label: String {
        switch self {
        case .truePositive: "属实"
        case .falsePositive: "不属实（误报）"
        }
    }
}

/// A verification: the verdict and the findings text (核查情况), both required.
public struct ClueVerification: Sendable, Hashable {
    public var verdict: ClueVerdict
    public var findings: String

    public init(verdict: ClueVerdict, findings: String) {
        self.verdict = verdict
        self.findings = findings
    }

    public var json: JSONValue {
        .object([("verdict", .string(verdict.rawValue)), ("findings", .string(findings))])
    }
}

/// What was done about a true positive (处置).
public enum ClueDisposition: Sendable, Hashable {
    /// 无问题 / 不予处理 (also what a false positive implies).
    case noProblem
    /// 责令整改, by a date.
    case rectificationOrdered(deadline: CalendarDate)
    /// 立案查处, with the case number (the case is then followed as an enforcement case).
    case caseOpened(caseNumber: String)
    /// 移送, to another department (its code) for a reason.
    case transferred(department: String, reason: String)

    /// The kinds, as spelled in the API and the database.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case noProblem = "no_problem"
        case rectificationOrdered = "rectification_ordered"
        case caseOpened = "case_opened"
        case transferred

        public var label: String {
            switch self {
            case .noProblem: "无问题"
            case .rectificationOrdered: "责令整改"
            case .caseOpened: "立案查处"
            case .transferred: "移送"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .noProblem: .noProblem
        case .rectificationOrdered: .rectificationOrdered
        case .caseOpened: .caseOpened
        case .transferred: .transferred
        }
    }

    /// `{"kind":…}` with the kind's own members (`deadline`, `caseNumber`, `department` and `reason`).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string(kind.rawValue))]
        switch self {
        case .noProblem: break
        case .rectificationOrdered(let deadline): members.append(("deadline", .string(deadline.description)))
        case .caseOpened(let number): members.append(("caseNumber", .string(number)))
        case .transferred(let department, let reason): members += [("department", .string(department)), ("reason", .string(reason))]
        }
        return .object(members)
    }

    /// Reads the stored form `json` writes (nil for anything else).
    public init?(json v: JSONValue) {
        guard let kind = v["kind"]?.stringValue.flatMap(Kind.init(rawValue:)) else { return nil }
        switch kind {
        case .noProblem: self = .noProblem
        case .rectificationOrdered:
            guard let d = v["deadline"]?.stringValue.flatMap(CalendarDate.init) else { return nil }
            self = .rectificationOrdered(deadline: d)
        case .caseOpened:
            guard let n = v["caseNumber"]?.stringValue else { return nil }
            self = .caseOpened(caseNumber: n)
        case .transferred:
            guard let d = v["department"]?.stringValue, let r = v["reason"]?.stringValue else { return nil }
            self = .transferred(department: d, reason: r)
        }
    }
}
