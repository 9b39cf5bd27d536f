import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import NIOCore
import Supervision

/// 双随机一公开 in the console: plans with their progress and overdue tasks, one plan's draw (the commitment
/// before, the seed after) and tasks, the merge proposals, the 一单两库 with search, and CSV exports of plans and
/// tasks with their results for meetings and reports.
extension ConsoleController {
    static let mergeStatus = ["proposed": "待决定", "accepted": "已合并", "declined": "不合并"]

    @Sendable func randomCheckPlans(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let department = Self.departmentFilter(request.uri.queryParameters.get("department"))
        let plans = try await randomChecks.plans(department: department)
        let rows: [[String: Any]] = plans.map(Self.planValues)
        let merges = try await randomChecks.merges(status: "proposed", limit: 1000)
        return page(
            "random-checks",
            title: "双随机抽查",
            tab: "random",
            [
                "plans": rows, "count": rows.count, "none": rows.isEmpty, "department": department ?? "",
                "overdue": plans.reduce(0) { $0 + $1.overdue }, "pendingMerges": merges.count,
            ],
            context: context
        )
    }

    @Sendable func randomCheckPlan(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let planId = context.parameters.get("planId"), let detail = try await randomChecks.plan(planId) else {
            return problem(.notFound, "没有这个抽查计划", "no such plan", context: context)
        }
        let tasks = try await randomChecks.tasks(planId: planId)
        var values = Self.planValues(detail.row)
        values["proposedBy"] = detail.proposedBy
        values["approvedBy"] = detail.approvedBy ?? "—"
        values["candidatesHash"] = detail.candidatesHash ?? ""
        values["seed"] = Self.revealedSeed(detail.draw) ?? ""
        values["drawn"] = detail.row.status == "drawn"
        values["tasks"] = tasks.map(Self.taskValues)
        values["noTasks"] = tasks.isEmpty
        values["taskCount"] = tasks.count
        values["planJSON"] = detail.body
        return page("random-check-plan", title: "抽查计划 \(planId)", tab: "random", values, context: context)
    }

    @Sendable func randomCheckMerges(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let merges = try await randomChecks.merges()
        let rows: [[String: Any]] = merges.map { m in
            [
                "id": m.id, "subject": m.subjectId, "subjectName": m.subjectName ?? "（不在名录库）", "tasks": m.taskIds.joined(separator: "、"),
                "departments": m.departments.joined(separator: "、"), "window": "\(m.windowStart) 至 \(m.windowEnd)",
                "status": Self.mergeStatus[m.status] ?? m.status, "open": m.status == "proposed", "saved": m.taskIds.count - 1,
                "decidedBy": m.decidedBy ?? "",
            ]
        }
        let accepted = merges.filter { $0.status == "accepted" }.reduce(0) { $0 + $1.taskIds.count - 1 }
        return page(
            "random-check-merges",
            title: "联合抽查合并建议",
            tab: "random",
            ["merges": rows, "none": rows.isEmpty, "saved": accepted],
            context: context
        )
    }

    @Sendable func randomCheckLibraries(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let kind = q.get("kind").flatMap(LibraryKind.init(rawValue:)) ?? .subjects
        let search = q.get("q")?.trimmingCharacters(in: .whitespaces).prefix(50).description ?? ""
        let department = Self.departmentFilter(q.get("department"))
        let rows = try await libraries.list(kind, department: department, search: search.isEmpty ? nil : search, limit: 300)
        return page(
            "random-check-libraries",
            title: kind.labelZh,
            tab: "random",
            [
                "kinds": LibraryKind.allCases.map { ["kind": $0.rawValue, "label": $0.labelZh, "selected": $0 == kind] },
                "label": kind.labelZh, "q": search, "department": department ?? "", "none": rows.isEmpty, "count": rows.count,
                "rows": rows.map { Self.libraryValues($0.row) },
            ],
            context: context
        )
    }

    /// One library row as the listing shows it: key, name, department, region, the facts, and whether it is in force.
    static func libraryValues(_ row: LibraryRow) -> [String: Any] {
        let (key, name, department, region, detail, state): (String, String, String, String, String, String) =
            switch row {
            case .subject(let s, let active):
                (
                    s.id, s.name, s.creditSource ?? "", s.regionCode,
                    "信用 \(s.credit.labelZh)\(s.creditDate.map { "（\($0)）" } ?? "") · 行业 \(s.industryCode) · 标签 \(s.tags.joined(separator: "、"))",
                    active ? "在用" : "已停用"
                )
            case .inspector(let i):
                (i.certificateNo, i.name, i.departmentCode, i.regionCode, "专业 " + i.specialties.joined(separator: "、"), i.status.labelZh)
            case .item(let item, let active):
                (
                    item.catalogCode, item.name, item.departmentCode, "",
                    item.checkMethod + " · " + item.checkContent + (item.isJoint ? " · 联合：" + item.jointDepartments.joined(separator: "、") : ""),
                    active ? "在用" : "已停用"
                )
            case .conflict(let c, let department): (c.certificateNo, c.subjectId, department, "", c.reason, "在用")
            }
        return [
            "key": key, "name": name, "department": department, "region": region, "detail": detail, "state": state,
            "off": state != "在用" && state != "在岗",
        ]
    }

    /// `plans.csv` / `plans.xlsx`: every plan with its progress.
    @Sendable func randomCheckPlansExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let plans = try await randomChecks.plans(department: Self.departmentFilter(request.uri.queryParameters.get("department")), limit: 100_000)
        let rows = plans.map { p in
            [
                p.planId, p.name, p.lead, p.participants.joined(separator: "、"), RandomCheckPlanStatus.label(p.status), p.periodStart,
                p.periodEnd, p.commitment ?? "", p.drawnAt ?? "", String(p.tasks), String(p.done), String(p.overdue),
            ]
        }
        let header = ["计划编号", "计划名称", "牵头部门", "参与部门", "状态", "开始日期", "结束日期", "承诺值", "摇号时间", "任务数", "已完成", "逾期"]
        return export(context, name: "random-check-plans", sheet: "抽查计划", header: header, rows: rows)
    }

    /// `tasks.csv` / `tasks.xlsx`: the tasks (of one plan with `?plan=`) with inspectors and results.
    @Sendable func randomCheckTasksExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let planId = request.uri.queryParameters.get("plan").flatMap { $0.isEmpty ? nil : String($0.prefix(50)) }
        let tasks = try await randomChecks.tasks(planId: planId, limit: 1_000_000)
        let rows = tasks.map { t in
            [
                t.taskId, t.planId, t.subjectId, t.subjectName ?? "", t.grade, t.departments.joined(separator: "、"),
                RandomCheckTaskStatus.label(t.status), t.overdue ? "是" : "否", t.periodEnd, t.inspectors, t.results,
            ]
        }
        let header = ["任务编号", "计划编号", "检查对象", "对象名称", "信用等级", "部门", "状态", "逾期", "计划结束日期", "执法检查人员", "检查结果"]
        return export(context, name: "random-check-tasks" + (planId.map { "-" + $0 } ?? ""), sheet: "抽查任务与结果", header: header, rows: rows)
    }

    static func planValues(_ p: RandomCheckReads.PlanRow) -> [String: Any] {
        [
            "planId": p.planId, "name": p.name, "lead": p.lead, "participants": p.participants.joined(separator: "、"),
            "joint": !p.participants.isEmpty, "status": RandomCheckPlanStatus.label(p.status), "statusCode": p.status,
            "period": "\(p.periodStart) 至 \(p.periodEnd)", "commitment": p.commitment ?? "", "hasCommitment": p.commitment != nil,
            "drawnAt": p.drawnAt ?? "", "tasks": p.tasks, "done": p.done, "overdue": p.overdue, "late": p.overdue > 0,
        ]
    }

    static func taskValues(_ t: RandomCheckReads.TaskRow) -> [String: Any] {
        [
            "taskId": t.taskId, "subject": t.subjectId, "subjectName": t.subjectName ?? "（不在名录库）", "grade": t.grade,
            "departments": t.departments.joined(separator: "、"), "status": RandomCheckTaskStatus.label(t.status), "done": t.status == "done",
            "overdue": t.overdue, "periodEnd": t.periodEnd, "inspectors": t.inspectors, "results": t.results.isEmpty ? "—" : t.results,
            "merged": t.mergedInto != nil,
        ]
    }

    /// The seed of a published draw, read from its JSON; nil before the draw.
    static func revealedSeed(_ draw: String?) -> String? {
        guard let draw, let object = try? JSONSerialization.jsonObject(with: Data(draw.utf8)) as? [String: Any] else { return nil }
        return object["seed"] as? String
    }

    /// The table as the file the route's extension names: CSV (UTF-8 with a byte-order mark) or XLSX.
    func export(_ context: ConsoleRequestContext, name: String, sheet: String, header: [String], rows: [[String]]) -> Response {
        let format = context.parameters.get("format")
        guard format == "csv" || format == "xlsx" else {
            return problem(.notFound, "只能导出为 .csv 或 .xlsx", "exports are .csv or .xlsx", context: context)
        }
        let xlsx = format == "xlsx"
        var headers = HTTPFields()
        headers[.contentType] = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(name).\(xlsx ? "xlsx" : "csv")\""
        headers[.cacheControl] = "no-store"
        let body =
            xlsx
            ? ByteBuffer(bytes: XLSXWriter.workbook(sheet: sheet, header: header, rows: rows))
            : ByteBuffer(string: CSVWriter.document(header: header, rows: rows))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
