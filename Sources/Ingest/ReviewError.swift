import HubModel

/// Why a review action is refused; each maps to a 4xx with the hub's field-error shape.
public struct ReviewError: Error, Sendable {
    public enum Kind: Sendable { case notFound, conflict, invalid, forbidden }
    public var kind: Kind
    public var error: FieldError

    public static func notFound(_ id: Int64) -> ReviewError {
        ReviewError(kind: .notFound, error: FieldError(path: "id", code: "review_not_found", zh: "审核事项 \(id) 不存在", en: "review \(id) does not exist"))
    }
    package static func notOpen(_ status: String) -> ReviewError {
        ReviewError(
            kind: .conflict,
            error: FieldError(
                path: "status",
                code: "review_not_open",
                zh: "该审核事项当前状态为“\(status)”，不能再作决定",
                en: "the review is \(status): it takes no decision now"
            )
        )
    }
    package static func notPending(_ status: String) -> ReviewError {
        ReviewError(
            kind: .conflict,
            error: FieldError(
                path: "status",
                code: "review_not_pending_approval",
                zh: "该审核事项当前状态为“\(status)”，没有待复核的决定",
                en: "the review is \(status): nothing waits for approval"
            )
        )
    }
    package static func proposalWithdrawn(_ release: Int64) -> ReviewError {
        ReviewError(
            kind: .conflict,
            error: FieldError(
                path: "release",
                code: "proposal_withdrawn",
                zh: "待复核的决定（映射版本 \(release)）已被撤回或替换（例如目录事项已变更），请重新查看后再复核",
                en: "the proposal (release \(release)) was withdrawn or replaced meanwhile (e.g. its catalog item changed): look again"
            )
        )
    }
    package static func outOfScope(_ department: String) -> ReviewError {
        ReviewError(
            kind: .forbidden,
            error: FieldError(
                path: "department",
                code: "department_out_of_scope",
                zh: "您的账号不负责部门 \(department) 的事项",
                en: "your account is not scoped to department \(department)"
            )
        )
    }
    package static let ownDecision = ReviewError(
        kind: .forbidden,
        error: FieldError(
            path: "",
            code: "own_decision",
            zh: "不能复核自己作出的决定（双人复核）",
            en: "nobody approves their own decision (four eyes)"
        )
    )
    package static func role(_ needed: String) -> ReviewError {
        ReviewError(kind: .forbidden, error: FieldError(path: "", code: "role_required", zh: "需要“\(needed)”角色", en: "the \(needed) role is required"))
    }
    package static func invalid(_ path: String, _ code: String, _ zh: String, _ en: String) -> ReviewError {
        ReviewError(kind: .invalid, error: FieldError(path: path, code: code, zh: zh, en: en))
    }
}
