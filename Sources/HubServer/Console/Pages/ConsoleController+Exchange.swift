import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The exchange dashboard: today per department, the outbox lag, dead letters with re-queue, the pulls'
/// status, and the last 24 hours as inline SVG.
extension ConsoleController {
    @Sendable func exchange(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let dayQuery: ListQuery
        let deadQuery: ListQuery
        switch (listQuery(request, Self.reconciliationListSpec, context: context), listQuery(request, Self.deadLetterListSpec, context: context)) {
        case (.success(let a), .success(let b)): (dayQuery, deadQuery) = (a, b)
        case (.failure(let refusal), _), (_, .failure(let refusal)): return refusal.response
        }
        let realToday = SyncOpsController.today()
        let today = dayQuery.filter("day") ?? realToday
        let user = context.user
        async let reportTask = reconciliationRows(dayQuery, day: today, user: user)
        async let backlogTask = outbox.backlog()
        async let deadTask = deadLetterRows(deadQuery, user: user)
        async let checkpointsTask = pulls.all()
        async let hoursTask = reconciliation.lastDay()
        let (report, backlog, allDead, checkpoints, hours) = try await (reportTask, backlogTask, deadTask, checkpointsTask, hoursTask)
        let (dead, moreDead) = deadQuery.page(of: allDead)
        let names = try await departmentNames()
        let rows: [[String: Any]] = report.map { r in
            [
                "department": ConsoleLabels.department(r.department, names: names), "received": r.received, "accepted": r.accepted, "held": r.heldNow,
                "rejected": r.rejected, "delivered": r.delivered, "provinceRejected": r.provinceRejected, "pending": r.pending, "dead": r.dead,
            ]
        }
        let chart = SVGChart.bars(
            labels: hours.map(\.label),
            series: [
                .init(name: "收到", cssClass: "s1", values: hours.map(\.received)),
                .init(name: "送达省平台", cssClass: "s2", values: hours.map(\.delivered)),
            ],
            title: "近 24 小时：收到与送达省平台的记录数（每小时）"
        )
        var values: [String: Any] = [
            "today": today, "isToday": today == realToday, "departments": rows, "noDepartments": rows.isEmpty,
            "list": ListView(spec: Self.reconciliationListSpec, query: dayQuery).values(shown: rows.count, more: false, total: rows.count),
            "deadList": [
                "list": ListView(spec: Self.deadLetterListSpec, query: deadQuery, carry: dayQuery.filter("day").map { [("day", $0)] } ?? [])
                    .values(shown: dead.count, more: moreDead, total: allDead.count)
            ],
            "pending": backlog.pending, "dead": backlog.dead, "lag": Self.duration(backlog.lagSeconds),
            "lagWarning": backlog.lagSeconds > 300,
            "province": provinceURL ?? "未配置（HUB_PROVINCE_URL）",
            "deadLetters": dead.map { d in
                [
                    "id": d.id, "department": ConsoleLabels.department(d.department, names: names), "localId": d.localId, "version": d.version,
                    "attempts": d.attempts,
                    "lastError": PersonalData.maskText(d.lastError ?? ""), "queuedAt": ConsoleTime.minutes(d.queuedAt),
                ]
            },
            "noDeadLetters": dead.isEmpty, "deadDepartment": deadQuery.filter("department") ?? "",
            "deadFiltered": !deadQuery.filters.isEmpty || !deadQuery.search.isEmpty,
            "pulls": checkpoints.map { c in
                [
                    "name": Self.pullName(c.name), "cursor": c.cursor, "lastSuccessAt": c.lastSuccessAt.map { ConsoleTime.minutes($0) } ?? "—",
                    "lastError": PersonalData.maskText(c.lastError ?? ""),
                    "failing": c.lastError != nil && (c.lastErrorAt ?? "") > (c.lastSuccessAt ?? ""),
                ]
            },
            "noPulls": checkpoints.isEmpty,
            "chart": chart,
            "receivedToday": hours.suffix(24).map(\.received).reduce(0, +), "deliveredToday": hours.suffix(24).map(\.delivered).reduce(0, +),
        ]
        for flash in try await takeFlashes(context, codes: ["requeued"]) { values["requeued"] = String(flash.params["count"]?.intValue ?? 0) }
        return page("exchange", title: "交换监控", tab: "exchange", values, context: context)
    }

    @Sendable func requeue(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let user = context.user
        guard user.can(.approver) else {
            return problem(.forbidden, "重新入队需要审批人或管理员角色", "re-queueing needs the approver or admin role", context: context)
        }
        let form = try context.form.decode(RequeueForm.self)
        let ids: [Int64]
        if form.all == "1" {
            ids = try await outbox.deadLetters(limit: 100_000).map(\.id)
        } else if let id = form.id.flatMap(Int64.init) {
            ids = [id]
        } else {
            return problem(.badRequest, "请选择要重新入队的记录", "choose a dead letter to re-queue", context: context)
        }
        let n = try await outbox.requeue(ids: ids, by: user.username)
        try await flash(context, .init(code: "requeued", params: .object([("count", .number(String(n)))])))
        return ConsoleRenderer.redirect("/console/exchange")
    }

    /// The re-queue form: one dead letter, or all.
    struct RequeueForm: Decodable {
        var all: String?
        var id: String?
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return "0 秒" }
        if seconds < 120 { return "\(Int(seconds)) 秒" }
        if seconds < 7200 { return "\(Int(seconds / 60)) 分钟" }
        return String(format: "%.1f 小时", seconds / 3600)
    }

    static func pullName(_ name: String) -> String { PullSource.name(name) }
}
