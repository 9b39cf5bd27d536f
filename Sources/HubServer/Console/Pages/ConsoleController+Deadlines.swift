import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Supervision

/// 期限看板: what ops must chase this week — publications made after their 7 or 20 working days, publications
/// still waiting for a due date (no calendar for their year), withdrawals, and enforcement cases decided after
/// their statutory limit or still open past it; per department, scoped to the user's departments. The same
/// lists export as CSV or XLSX for a meeting.
extension ConsoleController {
    @Sendable func deadlinesPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let scope = context.user.departmentScope
        let counts = try await disclosureDeadlines.counts(departments: scope)
        let cases = try await caseLimits.pastLimit(departments: scope)
        let casesByDepartment = Dictionary(grouping: cases, by: \.department)
        let names = Dictionary(counts.map { ($0.department, $0.name) }, uniquingKeysWith: { a, _ in a })
        let late = try await disclosureDeadlines.items(.late, departments: scope, limit: 200)
        let pending = try await disclosureDeadlines.items(.pending, departments: scope, limit: 200)
        let withdrawn = try await disclosureDeadlines.items(.withdrawn, departments: scope, limit: 200)
        let rows: [[String: Any]] = counts.map { c in
            let overLimit = casesByDepartment[c.department]?.count ?? 0
            return [
                "code": c.department, "name": c.name, "published": c.published, "late": c.late, "pending": c.pending,
                "withheld": c.withheld, "withdrawn": c.withdrawn, "cases": overLimit,
                "attention": c.late + c.pending + overLimit > 0,
            ]
        }
        func item(_ i: DisclosureDeadlines.Item) -> [String: Any] {
            [
                "id": i.id, "department": names[i.department] ?? i.department, "kind": Self.publicationKind[i.kind] ?? i.kind, "title": i.title,
                "actDate": i.actDate ?? "", "dueDate": i.dueDate ?? "", "pendingReason": i.duePending ?? "", "publishedOn": i.publishedOn,
                "reason": Self.withdrawalReason[i.withdrawalReason ?? ""] ?? (i.withdrawalReason ?? ""), "withdrawnOn": i.withdrawnOn ?? "",
            ]
        }
        let caseRows: [[String: Any]] = cases.map { c in
            [
                "department": names[c.department] ?? c.department, "caseNo": c.caseNo, "status": Self.limitStatus[c.status] ?? c.status.rawValue,
                "stage": c.stage.nameZh, "opened": c.openedOn.description, "due": c.dueOn?.description ?? "",
                "decided": c.decidedOn?.description ?? "未决定",
            ]
        }
        let values: [String: Any] = [
            "departments": rows, "late": late.map(item), "noLate": late.isEmpty, "pending": pending.map(item), "noPending": pending.isEmpty,
            "withdrawn": withdrawn.map(item), "noWithdrawn": withdrawn.isEmpty, "cases": caseRows, "noCases": caseRows.isEmpty,
            "totalLate": counts.reduce(0) { $0 + $1.late }, "totalPending": counts.reduce(0) { $0 + $1.pending }, "totalCases": cases.count,
        ]
        return page("deadlines", title: "期限看板", tab: "deadlines", values, context: context)
    }

    /// `deadlines.csv` / `deadlines.xlsx`: every late or pending publication, withdrawal and case past its limit,
    /// one line each, with what kind of problem it is.
    @Sendable func deadlinesExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let scope = context.user.departmentScope
        var rows: [[String]] = []
        for (list, label) in [(DisclosureDeadlines.List.late, "逾期公示"), (.pending, "公示期限待定"), (.withdrawn, "已撤回公示")] {
            for i in try await disclosureDeadlines.items(list, departments: scope, limit: 100_000) {
                rows.append([
                    label, i.department, String(i.id), Self.publicationKind[i.kind] ?? i.kind, i.title, i.actDate ?? "",
                    i.dueDate ?? (i.duePending ?? ""), list == .withdrawn ? (i.withdrawnOn ?? "") : i.publishedOn,
                    Self.withdrawalReason[i.withdrawalReason ?? ""] ?? "",
                ])
            }
        }
        for c in try await caseLimits.pastLimit(departments: scope) {
            rows.append([
                Self.limitStatus[c.status] ?? c.status.rawValue, c.department, c.caseNo, "行政处罚案件（\(c.stage.nameZh)）", "",
                c.openedOn.description, c.dueOn?.description ?? "", c.decidedOn?.description ?? "", "",
            ])
        }
        let header = ["问题", "部门", "编号/案号", "类别", "标题", "行为日期/立案日期", "截止日期", "公示/撤回/决定日期", "撤回原因"]
        return export(context, name: "deadlines", sheet: "期限看板", header: header, rows: rows)
    }

    static let publicationKind = ["penalty": "行政处罚", "inspection": "行政检查", "random_check_result": "双随机抽查结果", "licensing": "行政许可"]
    static let withdrawalReason = [
        "revoked": "决定被撤销", "changed_by_reconsideration": "经行政复议变更", "changed_by_litigation": "经行政诉讼变更", "credit_repair": "信用修复",
        "other": "其他",
    ]
    static let limitStatus: [StatutoryLimits.Status: String] = [.overLimit: "超期决定", .overdue: "超期未决"]
}
