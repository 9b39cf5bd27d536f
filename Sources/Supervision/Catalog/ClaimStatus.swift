import HubModel

/// Where an agency's claim (认领) of a catalog item stands. Four eyes on every change: a claim, an adjustment and a
/// withdrawal are each proposed by one person (a department system or ops on its behalf) and take effect only when
/// a second person, an ops approver, approves them. Approval publishes at once (one step, see `ClaimLifecycle`).
///
/// The raw value is the one spelling used in the database, the API and the province's rows.
public enum ClaimStatus: String, Sendable, Hashable, CaseIterable {
    /// 待审核：a new claim waits for approval (claimed but not yet published).
    case proposed
    /// 已发布：the claim is the agency's published implementation item.
    case published
    /// 调整待审核：published; an adjustment of its details waits for approval (the published details stay in force).
    case adjustmentProposed = "adjustment_proposed"
    /// 撤回待审核：published; a withdrawal waits for approval (the item stays published until then).
    case withdrawalProposed = "withdrawal_proposed"
    /// 已撤回：the implementation item is retired; the agency may claim the item again.
    case withdrawn
    /// 已驳回：the claim was refused before publication; the agency may claim the item again.
    case rejected

    public var label: String {
        switch self {
        case .proposed: "认领待审核"
        case .published: "已发布"
        case .adjustmentProposed: "调整待审核"
        case .withdrawalProposed: "撤回待审核"
        case .withdrawn: "已撤回"
        case .rejected: "已驳回"
        }
    }

    /// Open claims block a second claim of the same item by the same agency.
    public var isOpen: Bool { self != .withdrawn && self != .rejected }

    /// Whether the agency's implementation item is in force (the lists show these).
    public var isPublished: Bool { self == .published || self == .adjustmentProposed || self == .withdrawalProposed }

    /// Whether a proposal waits for the second person.
    public var awaitsApproval: Bool { self == .proposed || self == .adjustmentProposed || self == .withdrawalProposed }

    /// The statuses whose implementation item is in force, as SQL literals (`IN (…)`).
    public static let publishedSQL = "('published', 'adjustment_proposed', 'withdrawal_proposed')"
}

/// The level an agency implements an item at: 市级 (3) or 县级 (4), the digit in the implementation code.
public enum ClaimLevel: Int, Sendable, Hashable, CaseIterable {
    case city = 3
    case county = 4

    public var label: String {
        switch self {
        case .city: "市级"
        case .county: "县级"
        }
    }

    /// The level a region code stands for: a prefecture's code ends in `00` (430400), a district's or county's
    /// does not (430405). Nil for anything but six digits.
    public static func of(region: String) -> ClaimLevel? {
        guard region.count == 6, region.allSatisfy(\.isASCIIDigit) else { return nil }
        return region.hasSuffix("00") ? .city : .county
    }
}

/// How the agency implements a claimed item: 检查内容, 检查方式, 检查频次 — each required, at most 500 characters.
public struct ClaimDetails: Sendable, Hashable {
    public var checkContent: String
    public var checkMethod: String
    public var checkFrequency: String

    public init(checkContent: String, checkMethod: String, checkFrequency: String) {
        self.checkContent = checkContent
        self.checkMethod = checkMethod
        self.checkFrequency = checkFrequency
    }

    public var json: JSONValue {
        .object([("checkContent", .string(checkContent)), ("checkMethod", .string(checkMethod)), ("checkFrequency", .string(checkFrequency))])
    }

    public init?(json v: JSONValue) {
        guard let c = v["checkContent"]?.stringValue, let m = v["checkMethod"]?.stringValue, let f = v["checkFrequency"]?.stringValue else {
            return nil
        }
        self.init(checkContent: c, checkMethod: m, checkFrequency: f)
    }

    /// The members' problems (empty or too long), each with its path.
    public var problems: [FieldError] {
        var out: [FieldError] = []
        for (path, value, zh) in [
            ("checkContent", checkContent, "检查内容"), ("checkMethod", checkMethod, "检查方式"), ("checkFrequency", checkFrequency, "检查频次"),
        ] {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                out.append(FieldError(path: path, code: "required", zh: "需要填写\(zh)", en: "\(path) is required"))
            } else if value.count > 500 {
                out.append(FieldError(path: path, code: "too_long", zh: "\(zh)不能超过 500 字", en: "\(path) is longer than 500 characters"))
            }
        }
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
