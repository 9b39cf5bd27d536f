import HubModel

/// One act on a claim. `claim` opens one (`ClaimLifecycle.open`); the others move an existing one.
public enum ClaimStep: Sendable, Hashable {
    /// 认领: the agency takes the item at its level with its implementation details (proposed, then approved).
    case claim(ClaimDetails)
    /// 调整: new details for a published claim (a new version of the implementation item once approved).
    case adjust(ClaimDetails)
    /// 撤回: the agency no longer implements the item (the implementation item is retired once approved).
    case withdraw(reason: String)
    /// 审核通过: a second person approves the pending proposal, which is published at once.
    case approve
    /// 驳回: a second person refuses the pending proposal, with a reason.
    case reject(reason: String)

    /// The step's name in ledger payloads, the steps table and refusals.
    public var name: String {
        switch self {
        case .claim: "claimed"
        case .adjust: "adjustment_proposed"
        case .withdraw: "withdrawal_proposed"
        case .approve: "approved"
        case .reject: "rejected"
        }
    }
}

/// The three proposals a department makes (`action` of `POST /api/v1/catalog/claims`).
public enum ClaimAction: String, Sendable, Hashable, CaseIterable {
    case claim
    case adjust
    case withdraw
}

/// Who acts: an ops user (optionally scoped to departments) or a department system (the signer of the request).
public enum ClaimActor: Sendable, Hashable {
    case ops(username: String, departments: [String]?)
    case department(String)

    /// How the ledger and the steps table name the actor; two proposals are by the same person when these agree.
    public var name: String {
        switch self {
        case .ops(let user, _): "ops:" + user
        case .department(let code): "department:" + code
        }
    }

    /// Whether the actor may propose for `department`.
    public func actsFor(_ department: String) -> Bool {
        switch self {
        case .department(let code): code == department
        case .ops(_, nil): true
        case .ops(_, let scope?): scope.contains(department)
        }
    }
}

/// Why a step on a claim is refused: a stable code, Chinese and English messages, the field it is about, and the
/// kind (which the HTTP layer maps to 400, 403 or 409).
public struct ClaimRefusal: Error, Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The proposal itself is incomplete or does not fit the catalog (400).
        case invalid
        /// The actor may not take this step: another department's claim, one's own proposal (403).
        case forbidden
        /// The claim is not where the step needs it (409).
        case conflict
    }

    public var kind: Kind
    public var errors: [FieldError]

    public init(_ kind: Kind, path: String, code: String, zh: String, en: String) {
        self.kind = kind
        self.errors = [FieldError(path: path, code: code, zh: zh, en: en)]
    }

    public init(invalid errors: [FieldError]) {
        self.kind = .invalid
        self.errors = errors
    }

    public var code: String { errors.first?.code ?? "" }

    static func outOfOrder(_ status: ClaimStatus, needs: String) -> ClaimRefusal {
        ClaimRefusal(
            .conflict,
            path: "claimId",
            code: "claim_step_out_of_order",
            zh: "该认领当前为“\(status.label)”，不能\(needs)",
            en: "the claim is \(status.rawValue): this step does not apply"
        )
    }
}
