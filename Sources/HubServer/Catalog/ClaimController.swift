import Foundation
import HubModel
import HubStore
import Hummingbird
import Supervision

/// The department API of claims (认领发布), signed; every proposal is the signer's own and waits for an ops
/// approver (four eyes):
///
/// - `POST /api/v1/catalog/claims` `{"action":"claim|adjust|withdraw", …}` (`ClaimRequests`) — 201 with the claim
/// - `GET  /api/v1/catalog/claims` — the department's claims, newest first
struct ClaimController {
    let claims: ClaimStore

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.post("catalog/claims", use: propose)
        group.get("catalog/claims", use: list)
    }

    @Sendable func propose(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let body = try StrictBody.parse(context.body, members: ClaimRequests.members.filter { $0.key != "department" })
        let proposal = try ClaimRequests.proposal(body)
        let code = context.department.code
        let claim = try await ClaimRequests.propose(proposal, department: code, actor: .department(code), store: claims)
        return Answer.make(.object([("claim", claim.json)]), status: proposal.action == .claim ? .created : .ok, for: request)
    }

    @Sendable func list(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let all = try await claims.list(department: context.department.code, scope: nil)
        return Answer.make(.object([("claims", .array(all.map(\.json)))]), for: request)
    }
}
