import HubModel

/// The one lifecycle of claims (认领发布), as a pure function of (claim state, step, actor).
///
/// 认领 claim → 认领待审核 proposed → (approve) 已发布 published | (reject) 已驳回 rejected;
/// published → 调整 adjust → 调整待审核 → (approve) published with the new details | (reject) published as before;
/// published → 撤回 withdraw → 撤回待审核 → (approve) 已撤回 withdrawn | (reject) published as before.
///
/// **Four eyes**: a department system (or ops for it) proposes; an ops approver who is not the proposer approves
/// or rejects. **Approval publishes** in the same step: a separate "publish" act would be a third act with no
/// second check of its own, and an approved-but-unpublished claim would be a state nobody needs. Every step is a
/// ledger entry; an approval writes a version of the implementation item (active, or retired for a withdrawal)
/// and a `catalog_claim` row for the province.
public enum ClaimLifecycle {
    /// The ledger entry the store writes for the step (kind `catalog_claim`).
    public struct Event: Sendable, Hashable {
        public var kind: LedgerKind
        public var payload: JSONValue
    }

    /// The implementation item version an approval writes.
    public enum Publication: Sendable, Hashable {
        case active
        case retired
    }

    /// A row for the province (`catalog_claim`), keyed by the implementation code: its versions arrive in order.
    public struct Delivery: Sendable, Hashable {
        /// `I` first publication, `U` adjustment, `D` withdrawal.
        public var operation: Character
        public var key: String
        public var body: JSONValue
    }

    public struct Plan: Sendable, Hashable {
        public var state: ClaimState
        public var event: Event
        public var publication: Publication?
        public var delivery: Delivery?
    }

    public enum Outcome: Sendable, Hashable {
        case apply(Plan)
        case refused(ClaimRefusal)
    }

    /// Opens a claim (`claimId` is the row the store will write). Checks the draft against the facts: the item is
    /// in the catalog and active, its levels include the level, the agency is the department's, the region agrees
    /// with the level, no open claim of the item by the agency, the details complete, the actor acts for the
    /// department.
    public static func open(_ draft: ClaimDraft, facts: ClaimFacts, actor: ClaimActor, claimId: Int64) -> Outcome {
        do {
            let region = try check(draft, facts: facts, actor: actor)
            let state = ClaimState(
                claimId: claimId,
                catalogCode: draft.catalogCode,
                agencyCode: draft.agencyCode,
                agencyName: facts.agencyName,
                department: draft.department,
                regionCode: region,
                level: draft.level,
                status: .proposed,
                details: draft.details,
                proposedBy: actor.name
            )
            return .apply(plan(state, step: .claim(draft.details), actor: actor, members: []))
        } catch {
            return .refused(error)
        }
    }

    /// Decides one step on an existing claim. `sequence`: the next free two-digit sequence of the agency's codes
    /// for this item and level (used when a proposed claim is first published).
    public static func plan(_ state: ClaimState, step: ClaimStep, actor: ClaimActor, sequence: Int = 1) -> Outcome {
        do {
            return .apply(try decide(state, step: step, actor: actor, sequence: sequence))
        } catch {
            return .refused(error)
        }
    }

    static func decide(_ state: ClaimState, step: ClaimStep, actor: ClaimActor, sequence: Int) throws(ClaimRefusal) -> Plan {
        var next = state
        switch step {
        case .claim:
            throw ClaimRefusal(
                .conflict,
                path: "catalogCode",
                code: "claim_exists",
                zh: "该机构已认领此事项，请调整或撤回",
                en: "the agency has claimed this item already: adjust or withdraw it"
            )
        case .adjust(let details):
            try proposer(state, actor)
            guard state.status == .published else { throw ClaimRefusal.outOfOrder(state.status, needs: "调整（须为已发布且无待审核的变更）") }
            let problems = details.problems
            guard problems.isEmpty else { throw ClaimRefusal(invalid: problems) }
            guard details != state.details else {
                throw ClaimRefusal(.invalid, path: "checkContent", code: "no_change", zh: "调整内容与已发布的相同", en: "the adjustment changes nothing")
            }
            next.status = .adjustmentProposed
            next.pendingDetails = details
            next.proposedBy = actor.name
            return plan(next, step: step, actor: actor, members: [])
        case .withdraw(let reason):
            try proposer(state, actor)
            guard state.status == .published else { throw ClaimRefusal.outOfOrder(state.status, needs: "撤回（须为已发布且无待审核的变更）") }
            try requireReason(reason)
            next.status = .withdrawalProposed
            next.pendingReason = reason
            next.proposedBy = actor.name
            return plan(next, step: step, actor: actor, members: [("reason", .string(reason))])
        case .approve, .reject:
            try secondPerson(state, actor)
            guard state.status.awaitsApproval else { throw ClaimRefusal.outOfOrder(state.status, needs: "审核（没有待审核的申请）") }
            if case .reject(let reason) = step {
                try requireReason(reason)
                next.status = state.status == .proposed ? .rejected : .published
                next.pendingDetails = nil
                next.pendingReason = nil
                return plan(next, step: step, actor: actor, members: [("reason", .string(reason)), ("refused", .string(state.status.rawValue))])
            }
            return try approve(state, actor: actor, sequence: sequence)
        }
    }

    /// Approval publishes: the first version of a new code, a new version with the adjusted details, or the
    /// retired version of a withdrawal.
    static func approve(_ state: ClaimState, actor: ClaimActor, sequence: Int) throws(ClaimRefusal) -> Plan {
        var next = state
        let operation: Character
        let action: String
        switch state.status {
        case .proposed:
            guard
                let code = ImplementationCode.compose(
                    agency: state.agencyCode,
                    level: state.level,
                    catalogCode: state.catalogCode,
                    sequence: sequence
                )
            else {
                throw ClaimRefusal(
                    .conflict,
                    path: "claimId",
                    code: "sequence_exhausted",
                    zh: "该机构此事项的实施编码序号已用尽（99）",
                    en: "the agency has used all 99 implementation code sequences for this item"
                )
            }
            next.implementationCode = code
            next.status = .published
            operation = "I"
            action = "publish"
        case .adjustmentProposed:
            next.details = state.pendingDetails ?? state.details
            next.status = .published
            operation = "U"
            action = "adjust"
        default:
            next.status = .withdrawn
            operation = "D"
            action = "withdraw"
        }
        next.pendingDetails = nil
        next.pendingReason = nil
        next.publishedVersion = (state.publishedVersion ?? 0) + 1
        var result = plan(
            next,
            step: .approve,
            actor: actor,
            members: [("approved", .string(state.status.rawValue)), ("proposedBy", .string(state.proposedBy))]
        )
        result.publication = next.status == .withdrawn ? .retired : .active
        let code = next.implementationCode ?? ""
        var body: [(String, JSONValue)] = [
            ("implementationCode", .string(code)), ("version", .number(String(next.publishedVersion ?? 1))), ("action", .string(action)),
            ("status", .string(next.status == .withdrawn ? "retired" : "active")), ("catalogCode", .string(next.catalogCode)),
            ("agencyCode", .string(next.agencyCode)), ("agencyName", .string(next.agencyName)), ("regionCode", .string(next.regionCode)),
            ("level", .number(String(next.level.rawValue))), ("details", next.details.json),
        ]
        if action == "withdraw" { body.append(("reason", .text(state.pendingReason))) }
        result.delivery = Delivery(operation: operation, key: code, body: .object(body))
        return result
    }

    // MARK: - Parts

    /// The new claim's checks, in the order a person fixes them; answers the region code to store.
    static func check(_ draft: ClaimDraft, facts: ClaimFacts, actor: ClaimActor) throws(ClaimRefusal) -> String {
        guard actor.actsFor(draft.department) else { throw outOfScope }
        guard let item = facts.item else {
            throw ClaimRefusal(.invalid, path: "catalogCode", code: "unknown_catalog_item", zh: "目录中没有该事项", en: "no such catalog item")
        }
        guard item.active else {
            throw ClaimRefusal(.invalid, path: "catalogCode", code: "catalog_item_retired", zh: "该事项已停用，不能认领", en: "the catalog item is retired")
        }
        guard item.levels.contains(draft.level.rawValue) else {
            throw ClaimRefusal(
                .invalid,
                path: "level",
                code: "level_not_in_catalog",
                zh: "该事项不在\(draft.level.label)实施",
                en: "the catalog does not give this item to level \(draft.level.rawValue)"
            )
        }
        guard facts.agencyOfDepartment else {
            throw ClaimRefusal(
                .invalid,
                path: "agencyCode",
                code: "agency_not_of_department",
                zh: "该机构不属于本部门",
                en: "the agency does not belong to the department"
            )
        }
        guard let region = draft.regionCode ?? ImplementationCode.region(ofAgency: draft.agencyCode), ClaimLevel.of(region: region) == draft.level
        else {
            throw ClaimRefusal(
                .invalid,
                path: draft.regionCode == nil ? "agencyCode" : "regionCode",
                code: "region_level_mismatch",
                zh: "区划与层级不符：市级事项由市本级（430400）机构认领，县级事项由区县机构认领",
                en: "the region does not agree with the level: city items are claimed for 430400, county items for a district or county"
            )
        }
        let problems = draft.details.problems
        guard problems.isEmpty else { throw ClaimRefusal(invalid: problems) }
        guard !facts.openClaimExists else {
            throw ClaimRefusal(
                .conflict,
                path: "catalogCode",
                code: "claim_exists",
                zh: "该机构已认领此事项，请调整或撤回",
                en: "the agency has claimed this item already: adjust or withdraw it"
            )
        }
        return region
    }

    static let outOfScope = ClaimRefusal(
        .forbidden,
        path: "department",
        code: "department_out_of_scope",
        zh: "您不能代表该部门认领",
        en: "you do not act for this department"
    )

    static func proposer(_ state: ClaimState, _ actor: ClaimActor) throws(ClaimRefusal) {
        guard actor.actsFor(state.department) else { throw outOfScope }
    }

    /// Only ops approve, never the proposer, and a scoped user only for their departments.
    static func secondPerson(_ state: ClaimState, _ actor: ClaimActor) throws(ClaimRefusal) {
        guard case .ops = actor else {
            throw ClaimRefusal(.forbidden, path: "claimId", code: "approval_by_ops_only", zh: "认领由运维审批人审核", en: "only ops approvers review claims")
        }
        guard actor.actsFor(state.department) else { throw outOfScope }
        guard actor.name != state.proposedBy else {
            throw ClaimRefusal(
                .forbidden,
                path: "claimId",
                code: "own_claim_proposal",
                zh: "不能审核本人提交的申请（双人复核）",
                en: "nobody reviews a proposal they made (four eyes)"
            )
        }
    }

    static func requireReason(_ reason: String) throws(ClaimRefusal) {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw ClaimRefusal(.invalid, path: "reason", code: "reason_required", zh: "需要填写原因", en: "a reason is required")
        }
        guard reason.count <= 500 else {
            throw ClaimRefusal(.invalid, path: "reason", code: "too_long", zh: "原因不能超过 500 字", en: "the reason is longer than 500 characters")
        }
    }

    /// The step's ledger entry.
    static func plan(_ after: ClaimState, step: ClaimStep, actor: ClaimActor, members: [(String, JSONValue)]) -> Plan {
        let payload = JSONValue.object([("step", .string(step.name)), ("actor", .string(actor.name)), ("claim", after.json)] + members)
        return Plan(state: after, event: Event(kind: .catalogClaim, payload: payload), publication: nil, delivery: nil)
    }
}
