import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// 双随机一公开 in the console: the plans (the commitment before the draw, the seed after it), one plan with its
/// tasks and teams, every task's status and whether it is overdue, and the joint-visit proposals to accept or
/// decline (approver role; a ledger entry each).
extension ConsoleController {
    @Sendable func randomChecksPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        async let plansTask = randomChecks.plans()
        async let tasksTask = randomChecks.recentTasks()
        async let mergesTask = randomChecks.merges()
        async let visitsTask = randomChecks.monthlyVisits()
        let (plans, tasks, merges, visits) = try await (plansTask, tasksTask, mergesTask, visitsTask)
        var values: [String: Any] = [
            "plans": plans.map(Self.planRow), "noPlans": plans.isEmpty,
            "tasks": tasks.map(Self.taskRow), "noTasks": tasks.isEmpty,
            "merges": merges.map { m in
                [
                    "id": m.id, "subjectId": m.subjectId, "taskIds": m.taskIds.joined(separator: "、"),
                    "departments": m.departments.joined(separator: "、"),
                    "window": "\(m.windowStart) 至 \(m.windowEnd)", "status": Self.mergeStatus(m.status), "open": m.status == "proposed",
                    "decidedBy": m.decidedBy ?? "",
                ] as [String: Any]
            },
            "noMerges": merges.isEmpty,
            "visits": visits.map { ["month": $0.month, "tasks": $0.tasks, "before": $0.before, "after": $0.after] as [String: Any] },
            "noVisits": visits.isEmpty,
        ]
        for flash in try await takeFlashes(context, codes: ["merge_decided"]) {
            values["mergeDecided"] = flash.params["decision"]?.stringValue == "accepted" ? "已接受合并建议，相关任务合并为一次检查。" : "已拒绝合并建议。"
        }
        return page("random-checks", title: "双随机抽查", tab: "random_checks", values, context: context)
    }

    @Sendable func randomCheckPlanPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let planId = context.parameters.get("planId")?.removingPercentEncoding, let plan = try await randomChecks.plan(planId) else {
            return problem(.notFound, "没有该抽查计划", "no such plan", context: context)
        }
        let draw = plan.draw.flatMap { try? JSONParser().parse(Array($0.utf8)) }
        var teams: [String: String] = [:]
        for task in draw?["tasks"]?.arrayValue ?? [] {
            guard let id = task["taskId"]?.stringValue, case .object(let byDepartment)? = task["inspectors"] else { continue }
            teams[id] = byDepartment.map { department, list in
                department + "：" + (list.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "、")
            }.joined(separator: "；")
        }
        let tasks: [[String: Any]] = try await randomChecks.recentTasks(planId: planId, limit: 5000).map { t in
            var row = Self.taskRow(t)
            row["team"] = teams[t.taskId] ?? ""
            return row
        }
        var values = Self.planRow(plan)
        values["candidates"] = draw?["candidates"]?.arrayValue?.count ?? 0
        values["skipped"] = draw?["skipped"]?.arrayValue?.count ?? 0
        values["taskRows"] = tasks
        values["noTasks"] = tasks.isEmpty
        values["body"] = plan.body
        return page("random-check-plan", title: "抽查计划 \(plan.planId)", tab: "random_checks", values, context: context)
    }

    @Sendable func decideMerge(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.approver) else {
            return problem(.forbidden, "处理合并建议需要审批人或管理员角色", "deciding a merge needs the approver or admin role", context: context)
        }
        guard let id = Self.id(context) else { return problem(.badRequest, "编号应为整数", "the id must be an integer", context: context) }
        let form = try context.form.decode(MergeForm.self)
        guard let decision = form.decision, ["accept", "decline"].contains(decision) else {
            return problem(.badRequest, "请选择接受或拒绝", "choose accept or decline", context: context)
        }
        do {
            let merge = try await randomChecks.decideMerge(id, accept: decision == "accept", by: context.user.username)
            try await flash(context, .init(code: "merge_decided", params: .object([("decision", .string(merge.status))])))
        } catch let refusal as RandomCheckRefusal {
            let error = refusal.errors.first
            return problem(.conflict, error?.messageZh ?? "无法处理", error?.messageEn ?? "refused", context: context)
        }
        return ConsoleRenderer.redirect("/console/random-checks")
    }

    /// The merge form: `decision` is `accept` or `decline`.
    struct MergeForm: Decodable {
        var decision: String?
    }

    /// A plan's row: before the draw its commitment, after it the revealed seed too (never before).
    static func planRow(_ p: RandomCheckStore.PlanSummary) -> [String: Any] {
        let seed = p.status == "drawn" ? p.draw.flatMap { try? JSONParser().parse(Array($0.utf8)) }?["seed"]?.stringValue : nil
        return [
            "planId": p.planId, "name": p.name, "departments": ([p.leadDepartment] + p.participants).joined(separator: "、"),
            "status": planStatus(p.status), "drawn": p.status == "drawn", "period": "\(p.periodStart) 至 \(p.periodEnd)",
            "commitment": p.commitment ?? "", "hasCommitment": p.commitment != nil, "seed": seed ?? "", "hasSeed": seed != nil,
            "candidatesHash": p.candidatesHash ?? "", "tasks": p.tasks, "proposedBy": p.proposedBy, "approvedBy": p.approvedBy ?? "—",
            "drawnAt": p.drawnAt ?? "—",
        ]
    }

    static func taskRow(_ t: RandomCheckStore.TaskRow) -> [String: Any] {
        [
            "taskId": t.taskId, "planId": t.planId, "subject": t.subjectName.map { "\($0)（\(t.subjectId)）" } ?? t.subjectId,
            "departments": t.departments.joined(separator: "、"), "reported": t.reported.isEmpty ? "—" : t.reported.joined(separator: "、"),
            "periodEnd": t.periodEnd, "status": t.status == "done" ? "已完成" : "进行中", "overdue": t.overdue,
            "merged": t.mergedInto.map { "合并 #\($0)" } ?? "",
        ]
    }

    static func planStatus(_ status: String) -> String {
        ["proposed": "待批准", "approved": "已批准待摇号", "drawn": "已摇号", "withdrawn": "已撤回"][status] ?? status
    }

    static func mergeStatus(_ status: String) -> String {
        ["proposed": "待处理", "accepted": "已接受", "declined": "已拒绝"][status] ?? status
    }
}
