import HubModel
import HubStore
import Hummingbird

/// 公开: a random-check plan as anyone may read it, without a signature (as the ledger's public face):
///
/// - `GET /api/v1/random-checks/plans/{planId}` — the plan, its status and, once approved, the commitment
///   `SHA-256(seed)`; once drawn, the whole published draw (seed revealed, candidates, skipped, tasks with their
///   pools), which `hub random-checks verify` and any script recompute. Before the draw the seed is in no member.
struct RandomCheckPublicController {
    let store: RandomCheckStore

    func addRoutes(to router: Router<HubRequestContext>) {
        router.get("api/v1/random-checks/plans/{planId}") { request, context in
            guard let planId = context.parameters.get("planId")?.removingPercentEncoding, !planId.isEmpty, planId.utf8.count <= 50,
                let plan = try await store.publicPlan(planId)
            else {
                throw HubHTTPError(.notFound, code: "plan_not_found", zh: "没有该抽查计划", en: "no such plan", path: "planId")
            }
            var members: [(String, JSONValue)] = [
                ("planId", .string(plan.planId)), ("name", .string(plan.name)), ("status", .string(plan.status)),
                ("leadDepartment", .string(plan.leadDepartment)), ("participants", .array(plan.participants.map(JSONValue.string))),
                ("periodStart", .string(plan.periodStart)), ("periodEnd", .string(plan.periodEnd)),
                ("plan", (try? JSONParser().parse(Array(plan.body.utf8))) ?? .null), ("commitment", .text(plan.commitment)),
                ("candidatesHash", .text(plan.candidatesHash)), ("drawnAt", .text(plan.drawnAt)),
            ]
            members.append(("draw", plan.status == "drawn" ? plan.draw.flatMap { try? JSONParser().parse(Array($0.utf8)) } ?? .null : .null))
            return Answer.make(.object(members), for: request)
        }
    }
}
