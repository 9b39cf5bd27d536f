import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Supervision

/// 监管动态 and 曝光台 in the console: the list with each bulletin's status, a form to write one (reviewer role),
/// and approve / withdraw for a second person (approver role) — the same store calls as
/// `/api/v1/ops/bulletins`. A refused form comes back with what was typed and the reasons beside it.
extension ConsoleController {
    @Sendable func bulletinsPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await bulletinsPage(context, draft: [:], errors: [], status: .ok)
    }

    @Sendable func proposeBulletin(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.reviewer) else {
            return problem(.forbidden, "撰写需要审核人或管理员角色", "writing a bulletin needs the reviewer or admin role", context: context)
        }
        let form = try context.form.decode(BulletinForm.self)
        var fields: [(String, JSONValue)] = [
            ("kind", .string(form.kind ?? "")), ("department", .string(form.department ?? "")), ("title", .string(form.title ?? "")),
            ("body", .string(form.body ?? "")),
        ]
        if form.kind == BulletinKind.exposure.rawValue { fields.append(("recordLocalId", .string(form.recordLocalId ?? ""))) }
        let typed = [
            "kind": form.kind ?? "", "department": form.department ?? "", "title": form.title ?? "", "body": form.body ?? "",
            "recordLocalId": form.recordLocalId ?? "",
        ]
        let read = BulletinDraft.read(.object(fields))
        guard let draft = read.draft else { return try await bulletinsPage(context, draft: typed, errors: read.errors, status: .badRequest) }
        guard context.user.sees(department: draft.department) else {
            let error = FieldError(
                path: "department",
                code: "department_out_of_scope",
                zh: "您的账号不能代表该部门发布",
                en: "your account does not act for this department"
            )
            return try await bulletinsPage(context, draft: typed, errors: [error], status: .forbidden)
        }
        do {
            _ = try await bulletins.propose(draft, by: context.user.username)
        } catch let refusal as StoreRefusal {
            return try await bulletinsPage(context, draft: typed, errors: refusal.errors, status: .conflict)
        }
        try await flash(context, .init(code: "bulletin_proposed"))
        return ConsoleRenderer.redirect("/console/bulletins")
    }

    @Sendable func actOnBulletin(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.approver) else {
            return problem(.forbidden, "发布或撤回需要审批人或管理员角色", "publishing or withdrawing needs the approver or admin role", context: context)
        }
        guard let id = Self.id(context), let bulletin = try await bulletins.bulletin(id), context.user.sees(department: bulletin.department) else {
            return problem(.notFound, "没有这条内容", "no such bulletin", context: context)
        }
        let form = try context.form.decode(BulletinActionForm.self)
        do {
            switch form.action {
            case "approve":
                _ = try await bulletins.approve(id, by: context.user.username)
            case "withdraw":
                let reason = form.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                guard !reason.isEmpty, reason.count <= 500 else {
                    return problem(.badRequest, "请填写撤回原因（不超过 500 字）", "give the reason for the withdrawal (at most 500 characters)", context: context)
                }
                _ = try await bulletins.withdraw(id, reason: reason, by: context.user.username)
            default:
                return problem(.badRequest, "请选择发布或撤回", "choose publish or withdraw", context: context)
            }
        } catch let refusal as StoreRefusal {
            return problem(refusal, context: context)
        }
        return ConsoleRenderer.redirect("/console/bulletins")
    }

    /// The page, with a form holding `draft` (what was typed) and `errors` beside it.
    func bulletinsPage(
        _ context: ConsoleRequestContext,
        draft: [String: String],
        errors: [FieldError],
        status: HTTPResponse.Status
    ) async throws
        -> Response
    {
        let all = try await bulletins.list(kind: nil, status: nil, departments: context.user.departmentScope)
        let me = context.user.username
        let rows: [[String: Any]] = all.map { b in
            [
                "id": b.id, "kind": b.kind.label, "exposure": b.kind == .exposure, "department": b.departmentName, "title": b.title,
                "body": b.body, "record": b.recordLocalId ?? "", "status": b.status.label, "proposed": b.status == .proposed,
                "published": b.status == .published, "withdrawn": b.status == .withdrawn, "proposedBy": b.proposedBy,
                "proposedAt": ConsoleTime.minutes(b.proposedAt), "approvedBy": b.approvedBy ?? "", "publishedAt": ConsoleTime.minutes(b.publishedAt),
                "reason": b.withdrawalReason ?? "", "mine": b.proposedBy == me,
            ]
        }
        let departments = try await self.departments.all().filter { context.user.sees(department: $0.code) }
        let chosen = draft["department"] ?? ""
        var values: [String: Any] = [
            "bulletins": rows, "none": rows.isEmpty,
            "departments": departments.map { ["code": $0.code, "name": $0.name, "selected": $0.code == chosen] },
            "kinds": BulletinKind.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == (draft["kind"] ?? "news")] },
            "draft": draft, "errors": errors.map { ["field": Self.bulletinFieldLabel[$0.path] ?? $0.path, "message": $0.messageZh] },
            "hasErrors": !errors.isEmpty,
        ]
        if try await !takeFlashes(context, codes: ["bulletin_proposed"]).isEmpty { values["proposedNow"] = true }
        return renderer.page("bulletins", title: "监管动态与曝光台", tab: "bulletins", values, session: context.session, status: status)
    }

    static let bulletinFieldLabel = ["kind": "类别", "department": "部门", "title": "标题", "body": "正文", "recordLocalId": "处罚记录编号"]

    struct BulletinForm: Decodable {
        var kind: String?
        var department: String?
        var title: String?
        var body: String?
        var recordLocalId: String?
    }

    struct BulletinActionForm: Decodable {
        var action: String?
        var reason: String?
    }
}
