import Foundation
import HubModel
import HubStore
import Hummingbird
import Ingest
import Supervision

/// The ops API of claims, behind the ops sign-in (a user scoped to departments sees and acts only for theirs):
///
/// - `GET  /api/v1/ops/catalog/claims?status=&department=` — newest first
/// - `POST /api/v1/ops/catalog/claims` — a proposal for a department (`department` plus the department API's body); reviewer role
/// - `POST /api/v1/ops/catalog/claims/{id}/approve` — approver role, not the proposer: publishes
/// - `POST /api/v1/ops/catalog/claims/{id}/reject` `{"reason"}` — approver role, not the proposer
/// - `GET  /api/v1/ops/catalog/unclaimed?department=` — the department's agencies' unclaimed items at their level
struct ClaimOpsController {
    let claims: ClaimStore
    /// Department code → its catalog department (`catalogDepartment` of its profile).
    let catalogDepartments: [String: String]

    func addRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.get("catalog/claims", use: list)
        group.post("catalog/claims", use: propose)
        group.post("catalog/claims/{id}/approve") { request, context in try await review(request, context, approve: true) }
        group.post("catalog/claims/{id}/reject") { request, context in try await review(request, context, approve: false) }
        group.get("catalog/unclaimed", use: unclaimed)
    }

    static func actor(_ user: OpsUser) -> ClaimActor { .ops(username: user.username, departments: user.departmentScope) }

    @Sendable func list(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let status = try BulletinOpsController.value(query.get("status"), ClaimStatus.self, path: "status")
        let department = try ClueOpsController.text(query.get("department"), path: "department")
        let all = try await claims.list(statuses: status.map { [$0] }, department: department, scope: context.user.departmentScope)
        return Answer.make(.object([("claims", .array(all.map(\.json)))]), for: request)
    }

    @Sendable func propose(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.decide, context.user)
        let body = try await StrictBody.read(request, members: ClaimRequests.members)
        guard let department = body["department"]?.stringValue, !department.isEmpty else {
            throw HubHTTPError(.badRequest, [.required("department")])
        }
        let proposal = try ClaimRequests.proposal(body)
        let claim = try await ClaimRequests.propose(proposal, department: department, actor: Self.actor(context.user), store: claims)
        return Answer.make(.object([("claim", claim.json)]), status: proposal.action == .claim ? .created : .ok, for: request)
    }

    func review(_ request: Request, _ context: OpsRequestContext, approve: Bool) async throws -> Response {
        try ReviewPolicy.authorize(.approve, context.user)
        let id = try OpsController.id(context)
        let step: ClaimStep
        if approve {
            _ = try await StrictBody.read(request, members: [:])
            step = .approve
        } else {
            let body = try await StrictBody.read(request, members: ["reason": .string])
            step = .reject(reason: body["reason"]?.stringValue ?? "")
        }
        let claim = try await claims.act(id, step: step, actor: Self.actor(context.user))
        return Answer.make(.object([("claim", claim.json)]), for: request)
    }

    @Sendable func unclaimed(_ request: Request, context: OpsRequestContext) async throws -> Response {
        guard let department = request.uri.queryParameters.get("department"), !department.isEmpty else {
            throw HubHTTPError(.badRequest, [.required("department")])
        }
        guard context.user.sees(department: department), let catalogDepartment = catalogDepartments[department] else {
            throw HubHTTPError(
                .notFound,
                code: "unknown_department",
                zh: "没有该部门，或部门没有目录部门（profile 的 catalogDepartment）",
                en: "no such department, or its profile names no catalog department",
                path: "department"
            )
        }
        let found = try await claims.unclaimed(department: department, catalogDepartment: catalogDepartment)
        let items: [JSONValue] = found.items.map { u in
            .object([
                ("agencyCode", .string(u.agencyCode)), ("agencyName", .string(u.agencyName)), ("level", .number(String(u.level.rawValue))),
                ("catalogCode", .string(u.catalogCode)), ("name", .string(u.name)), ("itemType", .string(u.itemType)),
                ("claimPending", .bool(u.pending)),
            ])
        }
        return Answer.make(.object([("total", .number(String(found.total))), ("items", .array(items))]), for: request)
    }
}
