import Foundation
import HubModel
import HubStore
import Hummingbird
import Ingest
import NIOCore
import Supervision

/// The ops API of 双随机一公开 (`/api/v1/ops/random-checks/…`), behind the ops sign-in:
///
/// - `GET  plans` — every plan with its status and, once approved, its commitment
/// - `POST plans` — propose a plan (a `RandomCheckPlan` document; ratios default to `ratios.csv`); reviewer role
/// - `POST plans/{planId}/approve` — a second person (approver, not the proposer) approves: the seed is made,
///   its commitment published
/// - `POST plans/{planId}/draw` — draws an approved plan once (reviewer role); 409 with the shortfalls when a
///   pool is short of inspectors, nothing written
/// - `GET  merges?status=`, `POST merges/{id}/accept|decline` — joint-visit proposals (approver role)
/// - `GET  reports/visits` — visits per month before and after merging
/// - `POST tasks/{taskId}/substitutions` `{"department","replaces","certificateNo","reason"}` (reviewer role)
struct RandomCheckOpsController {
    let store: RandomCheckStore
    let settings: RandomCheckSettings

    func addRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.get("random-checks/plans", use: list)
        group.post("random-checks/plans", use: propose)
        group.post("random-checks/plans/{planId}/approve", use: approve)
        group.post("random-checks/plans/{planId}/draw", use: draw)
        group.get("random-checks/merges", use: merges)
        group.post("random-checks/merges/{id}/accept") { request, context in try await decide(request, context, accept: true) }
        group.post("random-checks/merges/{id}/decline") { request, context in try await decide(request, context, accept: false) }
        group.get("random-checks/reports/visits", use: visits)
        group.post("random-checks/tasks/{taskId}/substitutions", use: substitute)
    }

    @Sendable func list(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let plans = try await store.plans()
        return Answer.make(.object([("plans", .array(plans.map { Self.summary($0, withDraw: false) }))]), for: request)
    }

    @Sendable func propose(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.decide, context.user)
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: StrictBody.limit)
        } catch is NIOTooManyBytesError {
            throw StrictBody.tooLarge
        }
        let value: JSONValue
        do {
            value = try JSONParser().parse(buffer.readableBytesView)
        } catch {
            throw HubHTTPError(
                .badRequest,
                code: "malformed_json",
                zh: "JSON 格式错误（第 \(error.line) 行第 \(error.column) 列）",
                en: "malformed JSON at line \(error.line), column \(error.column): \(error.reason)"
            )
        }
        let read = RandomCheckPlan.read(value, defaultRatios: settings.ratios)
        guard let plan = read.plan else { throw HubHTTPError(.badRequest, read.errors) }
        let problems = plan.problems()
        guard problems.isEmpty else { throw HubHTTPError(.badRequest, problems) }
        let summary = try await store.propose(plan, by: context.user.username)
        return Answer.make(Self.summary(summary, withDraw: false), status: .created, for: request)
    }

    @Sendable func approve(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.approve, context.user)
        let summary = try await store.approve(try Self.planId(context), by: context.user.username)
        return Answer.make(Self.summary(summary, withDraw: false), for: request)
    }

    @Sendable func draw(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.decide, context.user)
        let planId = try Self.planId(context)
        _ = try await store.draw(planId, by: context.user.username, caps: settings.caps)
        guard let summary = try await store.plan(planId) else { throw HubHTTPError(.notFound, code: "plan_not_found", zh: "没有该抽查计划", en: "no plan") }
        return Answer.make(Self.summary(summary, withDraw: true), for: request)
    }

    @Sendable func merges(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let status = request.uri.queryParameters.get("status")
        if let status, !["proposed", "accepted", "declined"].contains(status) {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_value",
                zh: "status 应为 proposed、accepted 或 declined",
                en: "status is proposed, accepted or declined",
                path: "status"
            )
        }
        let merges = try await store.merges(status: status)
        return Answer.make(.object([("merges", .array(merges.map(Self.merge)))]), for: request)
    }

    func decide(_ request: Request, _ context: OpsRequestContext, accept: Bool) async throws -> Response {
        try ReviewPolicy.authorize(.approve, context.user)
        let id = try OpsController.id(context)
        let merge = try await store.decideMerge(id, accept: accept, by: context.user.username)
        return Answer.make(Self.merge(merge), for: request)
    }

    @Sendable func visits(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let months = try await store.monthlyVisits()
        return Answer.make(
            .object([
                (
                    "months",
                    .array(
                        months.map {
                            .object([
                                ("month", .string($0.month)), ("tasks", .number(String($0.tasks))),
                                ("visitsBefore", .number(String($0.before))), ("visitsAfter", .number(String($0.after))),
                            ])
                        }
                    )
                )
            ]),
            for: request
        )
    }

    @Sendable func substitute(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.decide, context.user)
        let taskId = (context.parameters.get("taskId") ?? "").removingPercentEncoding ?? ""
        let body = try await StrictBody.read(
            request,
            members: ["department": .string, "replaces": .string, "certificateNo": .string, "reason": .string]
        )
        var values: [String: String] = [:]
        var missing: [FieldError] = []
        for name in ["department", "replaces", "certificateNo", "reason"] {
            let text = body[name]?.stringValue?.trimmingCharacters(in: .whitespaces) ?? ""
            if text.isEmpty { missing.append(.required(name)) } else if text.count > 500 { missing.append(.tooLong(name, max: 500)) }
            values[name] = text
        }
        guard missing.isEmpty else { throw HubHTTPError(.badRequest, missing) }
        try await store.substitute(
            taskId: taskId,
            department: values["department"]!,
            replaces: values["replaces"]!,
            certificateNo: values["certificateNo"]!,
            reason: values["reason"]!,
            by: context.user.username
        )
        return Answer.make(
            .object([
                ("taskId", .string(taskId)), ("department", .string(values["department"]!)), ("replaces", .string(values["replaces"]!)),
                ("certificateNo", .string(values["certificateNo"]!)), ("status", .string("recorded")),
            ]),
            status: .created,
            for: request
        )
    }

    static func planId(_ context: OpsRequestContext) throws -> String {
        // An id no plan can have (plan ids are 1–50 letters, digits, `-`, `_`) names no plan: 404, like any unknown id.
        guard let id = context.parameters.get("planId")?.removingPercentEncoding, !id.isEmpty, id.utf8.count <= 50 else {
            throw HubHTTPError(.notFound, code: "no_such_plan", zh: "没有这个抽查计划", en: "no such plan", path: "planId")
        }
        return id
    }

    /// A plan as ops and the public endpoint show it. The seed is never a member of its own: it appears only
    /// inside `draw`, which exists once the plan is drawn.
    static func summary(_ p: RandomCheckStore.PlanSummary, withDraw: Bool) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("planId", .string(p.planId)), ("name", .string(p.name)), ("leadDepartment", .string(p.leadDepartment)),
            ("participants", .array(p.participants.map(JSONValue.string))), ("status", .string(p.status)),
            ("periodStart", .string(p.periodStart)), ("periodEnd", .string(p.periodEnd)), ("proposedBy", .string(p.proposedBy)),
            ("approvedBy", .text(p.approvedBy)), ("commitment", .text(p.commitment)), ("candidatesHash", .text(p.candidatesHash)),
            ("drawnAt", .text(p.drawnAt)), ("tasks", .number(String(p.tasks))),
            ("plan", (try? JSONParser().parse(Array(p.body.utf8))) ?? .null),
        ]
        if withDraw {
            m.append(("draw", p.draw.flatMap { try? JSONParser().parse(Array($0.utf8)) } ?? .null))
        }
        return .object(m)
    }

    static func merge(_ m: RandomCheckStore.MergeProposal) -> JSONValue {
        .object([
            ("id", .number(String(m.id))), ("subjectId", .string(m.subjectId)), ("taskIds", .array(m.taskIds.map(JSONValue.string))),
            ("departments", .array(m.departments.map(JSONValue.string))), ("windowStart", .string(m.windowStart)),
            ("windowEnd", .string(m.windowEnd)), ("status", .string(m.status)), ("decidedBy", .text(m.decidedBy)),
        ])
    }
}
