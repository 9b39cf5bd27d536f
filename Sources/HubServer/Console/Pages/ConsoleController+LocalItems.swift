import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Normalization

/// 地方设立事项 in the console (catalog tab): the items set by local legislation with their provisional and provincial
/// codes, a form to register one (reviewer role) and approval by a second person (approver role) — the same store
/// calls as `/api/v1/ops/local-items`. A refused form comes back with what was typed and the reasons beside it.
extension ConsoleController {
    @Sendable func localItemsPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await localItemsPage(context, draft: [:], errors: [], status: .ok)
    }

    @Sendable func registerLocalItem(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.reviewer) else {
            return problem(.forbidden, "登记需要审核人或管理员角色", "registering needs the reviewer or admin role", context: context)
        }
        let form = try context.form.decode(LocalItemForm.self)
        let typed: [String: String] = [
            "department": form.department ?? "", "name": form.name ?? "", "itemType": form.itemType ?? "",
            "catalogDepartment": form.catalogDepartment ?? "", "legalBasis": form.legalBasis ?? "", "parentCode": form.parentCode ?? "",
            "levels": form.levels ?? "", "regionCode": form.regionCode ?? "", "agencies": form.agencies ?? "",
        ]
        var fields: [(String, JSONValue)] = typed.filter { $0.key != "agencies" && $0.key != "parentCode" }.sorted { $0.key < $1.key }
            .map { ($0.key, .string($0.value)) }
        if let parent = form.parentCode, !parent.trimmingCharacters(in: .whitespaces).isEmpty { fields.append(("parentCode", .string(parent))) }
        let agencies = (form.agencies ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "，" || $0 == " " || $0 == "\r" })
        fields.append(("agencies", .array(agencies.map { .string(String($0)) })))
        let read = LocalItemDraft.read(.object(fields))
        guard let draft = read.draft else { return try await localItemsPage(context, draft: typed, errors: read.errors, status: .badRequest) }
        guard context.user.sees(department: draft.department) else {
            let error = FieldError(
                path: "department",
                code: "department_out_of_scope",
                zh: "您的账号不能代表该部门登记事项",
                en: "your account does not act for this department"
            )
            return try await localItemsPage(context, draft: typed, errors: [error], status: .forbidden)
        }
        do {
            _ = try await localItems.register(draft, by: context.user.username)
        } catch let refusal as StoreRefusal {
            return try await localItemsPage(context, draft: typed, errors: refusal.errors, status: .conflict)
        }
        return ConsoleRenderer.redirect("/console/local-items")
    }

    @Sendable func approveLocalItem(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.approver) else {
            return problem(.forbidden, "报省需要审批人或管理员角色", "sending to the province needs the approver or admin role", context: context)
        }
        guard let id = Self.id(context), let item = try await localItems.item(id), context.user.sees(department: item.department) else {
            return problem(.notFound, "没有这个地方设立事项", "no such local item", context: context)
        }
        do {
            _ = try await localItems.approve(id, by: context.user.username)
        } catch let refusal as StoreRefusal {
            return problem(refusal, context: context)
        }
        return ConsoleRenderer.redirect("/console/local-items")
    }

    func localItemsPage(
        _ context: ConsoleRequestContext,
        draft: [String: String],
        errors: [FieldError],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let me = context.user.username
        let rows: [[String: Any]] = try await localItems.list(departments: context.user.departmentScope).map { i in
            [
                "id": i.id, "provisionalCode": i.provisionalCode, "provincialCode": i.provincialCode ?? "", "coded": i.status == .coded,
                "name": i.name, "type": i.itemType.rawValue, "department": i.department, "legalBasis": i.legalBasis, "levels": i.levels,
                "region": i.regionCode, "status": i.status.label, "proposed": i.status == .proposed, "proposedBy": i.proposedBy,
                "approvedBy": i.approvedBy ?? "", "mine": i.proposedBy == me,
            ]
        }
        let departments = try await self.departments.all().filter { context.user.sees(department: $0.code) }
        let chosen = draft["department"] ?? ""
        let types = [ItemType.inspection, .penalty, .coercion]
        let values: [String: Any] = [
            "items": rows, "none": rows.isEmpty,
            "departments": departments.map { ["code": $0.code, "name": $0.name, "selected": $0.code == chosen] },
            "types": types.map { ["value": $0.rawValue, "selected": $0.rawValue == (draft["itemType"] ?? "行政检查")] },
            "draft": draft, "errors": errors.map { ["field": Self.localItemFieldLabel[$0.path] ?? $0.path, "message": $0.messageZh] },
            "hasErrors": !errors.isEmpty,
        ]
        return renderer.page("local-items", title: "地方设立事项", tab: "catalog", values, session: context.session, status: status)
    }

    static let localItemFieldLabel = [
        "department": "部门", "name": "事项名称", "itemType": "事项类型", "catalogDepartment": "主管部门", "legalBasis": "设定依据",
        "parentCode": "上级事项编码", "levels": "实施层级", "regionCode": "行政区划", "agencies": "实施机构",
    ]

    struct LocalItemForm: Decodable {
        var department: String?
        var name: String?
        var itemType: String?
        var catalogDepartment: String?
        var legalBasis: String?
        var parentCode: String?
        var levels: String?
        var regionCode: String?
        var agencies: String?
    }
}
