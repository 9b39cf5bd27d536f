import HubModel
import HubStore
import Hummingbird
import Ingest
import NIOCore
import Supervision

/// 撤回 (DOMAIN.md §7): a department withdraws its own publication when the decision was revoked, changed by
/// reconsideration or litigation, or after credit repair — `POST /api/v1/publications/withdrawals`, signed; ops
/// may withdraw any by its id — `POST /api/v1/ops/publications/withdrawals` (reviewer role). The withdrawal is
/// published: the item stays on the public side marked 已撤回 with its reason and date, a ledger entry
/// `publication` records it, and the portals receive the new version through the outbox.
struct PublicationWithdrawalController {
    let store: PublicationStore

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.post("publications/withdrawals") { request, context in
            let body = try StrictBody.parse(context.body, members: Self.members)
            let withdrawal = try Self.read(body)
            let item = try await store.withdraw(withdrawal, department: context.department.code, by: "department:" + context.department.code)
            return Answer.make(item.json, status: .created, for: request)
        }
    }

    func addOpsRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.post("publications/withdrawals") { request, context in
            try ReviewPolicy.authorize(.decide, context.user)
            let body = try await StrictBody.read(request, members: Self.members)
            let withdrawal = try Self.read(body)
            let item = try await store.withdraw(withdrawal, department: nil, by: "ops:" + context.user.username)
            return Answer.make(item.json, status: .created, for: request)
        }
    }

    static let members: [String: StrictBody.Member] = [
        "localId": .string, "publicationId": .integer, "reason": .string, "text": .string, "date": .string,
    ]

    static func read(_ body: JSONValue) throws -> WithdrawalRequest {
        switch WithdrawalRequest.read(body) {
        case .success(let request): return request
        case .failure(let invalid): throw HubHTTPError(.badRequest, invalid.errors)
        }
    }
}
