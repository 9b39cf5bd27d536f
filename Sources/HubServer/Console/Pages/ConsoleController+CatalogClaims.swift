import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Supervision

/// Claims (认领发布) in the console, under the catalog tab: what waits for a second person (approve or reject,
/// approver role, never one's own proposal), what is published, a form to propose for a department in the user's
/// scope (reviewer role), and the department's unclaimed items — the same store calls as `/api/v1/ops/catalog/…`.
extension ConsoleController {
    @Sendable func claimsPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await claimsPage(
            context,
            department: Self.departmentFilter(request.uri.queryParameters.get("department")),
            draft: [:],
            errors: [],
            status: .ok
        )
    }

    @Sendable func proposeClaim(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.reviewer) else {
            return problem(.forbidden, "代部门认领需要审核人或管理员角色", "proposing a claim needs the reviewer or admin role", context: context)
        }
        let form = try context.form.decode(ClaimForm.self)
        let typed = form.typed
        let department = form.department ?? ""
        var members: [(String, JSONValue)] = [("action", .string(form.action ?? "claim"))]
        for (name, value) in typed where name != "department" && name != "action" && name != "level" && !value.isEmpty {
            members.append((name, .string(value)))
        }
        if let level = form.level, let n = Int(level) { members.append(("level", .number(String(n)))) }
        do {
            let proposal = try ClaimRequests.proposal(.object(members))
            let actor = ClaimOpsController.actor(context.user)
            _ = try await ClaimRequests.propose(proposal, department: department, actor: actor, store: claims)
        } catch let error as HubHTTPError {
            return try await claimsPage(context, department: department, draft: typed, errors: error.errors, status: error.status)
        } catch let refusal as StoreRefusal {
            let status: HTTPResponse.Status = refusal.kind == .forbidden ? .forbidden : refusal.kind == .conflict ? .conflict : .badRequest
            return try await claimsPage(context, department: department, draft: typed, errors: refusal.errors, status: status)
        }
        try await flash(context, .init(code: "claim_proposed"))
        return ConsoleRenderer.redirect(
            "/console/catalog/claims?department=\(department.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        )
    }

    @Sendable func reviewClaim(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.approver) else {
            return problem(.forbidden, "审核认领需要审批人或管理员角色", "reviewing a claim needs the approver or admin role", context: context)
        }
        guard let id = Self.id(context) else { return problem(.notFound, "没有该认领", "no such claim", context: context) }
        let form = try context.form.decode(BulletinActionForm.self)
        let step: ClaimStep
        switch form.action {
        case "approve": step = .approve
        case "reject": step = .reject(reason: form.reason ?? "")
        default: return problem(.badRequest, "请选择通过或驳回", "choose approve or reject", context: context)
        }
        do {
            _ = try await claims.act(id, step: step, actor: ClaimOpsController.actor(context.user))
        } catch let refusal as StoreRefusal {
            let error = refusal.errors.first
            let status: HTTPResponse.Status = refusal.kind == .forbidden ? .forbidden : refusal.kind == .notFound ? .notFound : .conflict
            return problem(status, error?.messageZh ?? "无法处理", error?.messageEn ?? "refused", context: context)
        }
        return ConsoleRenderer.redirect("/console/catalog/claims")
    }

    /// The page, with the proposal form holding `draft` (what was typed) and `errors` beside it.
    func claimsPage(
        _ context: ConsoleRequestContext,
        department: String?,
        draft: [String: String],
        errors: [FieldError],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let scope = context.user.departmentScope
        let me = ClaimOpsController.actor(context.user).name
        let row = { (c: ClaimState) -> [String: Any] in
            [
                "id": c.claimId, "catalogCode": c.catalogCode, "agency": c.agencyName.isEmpty ? c.agencyCode : c.agencyName,
                "department": c.department,
                "level": c.level.label, "region": HengyangRegions.name(c.regionCode), "status": c.status.label, "content": c.details.checkContent,
                "method": c.details.checkMethod, "frequency": c.details.checkFrequency, "pendingContent": c.pendingDetails?.checkContent ?? "",
                "pendingMethod": c.pendingDetails?.checkMethod ?? "", "pendingFrequency": c.pendingDetails?.checkFrequency ?? "",
                "adjustment": c.status == .adjustmentProposed, "withdrawal": c.status == .withdrawalProposed, "reason": c.pendingReason ?? "",
                "proposedBy": c.proposedBy, "mine": c.proposedBy == me, "code": c.implementationCode ?? "",
            ]
        }
        let pending = try await claims.list(statuses: ClaimStatus.allCases.filter(\.awaitsApproval), scope: scope).map(row)
        let published = try await claims.list(statuses: [.published], scope: scope, limit: 300).map(row)
        let departments = try await self.departments.all().filter { context.user.sees(department: $0.code) }
        let chosen = department ?? draft["department"] ?? ""
        var values: [String: Any] = [
            "pending": pending, "noPending": pending.isEmpty, "published": published, "noPublished": published.isEmpty,
            "departments": departments.map { ["code": $0.code, "name": $0.name, "selected": $0.code == chosen] },
            "actions": ClaimAction.allCases.map { a in
                [
                    "value": a.rawValue, "label": ["claim": "认领", "adjust": "调整", "withdraw": "撤回"][a.rawValue] ?? a.rawValue,
                    "selected": a.rawValue == (draft["action"] ?? "claim"),
                ]
            },
            "levels": ClaimLevel.allCases.map {
                ["value": $0.rawValue, "label": $0.label, "selected": String($0.rawValue) == (draft["level"] ?? "3")]
            },
            "draft": draft, "errors": errors.map { ["field": Self.claimFieldLabel[$0.path] ?? $0.path, "message": $0.messageZh] },
            "hasErrors": !errors.isEmpty, "department": chosen,
        ]
        if !chosen.isEmpty, context.user.sees(department: chosen), let catalogDepartment = catalogDepartments[chosen] {
            let found = try await claims.unclaimed(department: chosen, catalogDepartment: catalogDepartment, limit: 300)
            values["unclaimed"] = found.items.map { u in
                [
                    "agency": u.agencyName.isEmpty ? u.agencyCode : u.agencyName, "agencyCode": u.agencyCode, "level": u.level.label,
                    "catalogCode": u.catalogCode, "name": u.name, "type": u.itemType, "pending": u.pending,
                ]
            }
            values["unclaimedTotal"] = found.total
            values["showUnclaimed"] = true
        }
        if try await !takeFlashes(context, codes: ["claim_proposed"]).isEmpty { values["proposedNow"] = true }
        return renderer.page("catalog-claims", title: "事项认领发布", tab: "catalog", values, session: context.session, status: status)
    }

    static let claimFieldLabel = [
        "action": "操作", "department": "部门", "catalogCode": "目录编码", "agencyCode": "实施机构", "level": "层级", "regionCode": "区划",
        "checkContent": "检查内容", "checkMethod": "检查方式", "checkFrequency": "检查频次", "reason": "原因", "claimId": "认领",
    ]

    struct ClaimForm: Decodable {
        var action: String?
        var department: String?
        var catalogCode: String?
        var agencyCode: String?
        var level: String?
        var checkContent: String?
        var checkMethod: String?
        var checkFrequency: String?
        var reason: String?

        var typed: [String: String] {
            [
                "action": action ?? "", "department": department ?? "", "catalogCode": catalogCode ?? "", "agencyCode": agencyCode ?? "",
                "level": level ?? "", "checkContent": checkContent ?? "", "checkMethod": checkMethod ?? "", "checkFrequency": checkFrequency ?? "",
                "reason": reason ?? "",
            ]
        }
    }
}
