import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// A joint-visit proposal accepted or declined from the console's merge page: approver role, a CSRF-checked
/// form, the same store call as `POST /api/v1/ops/random-checks/merges/{id}/accept|decline` (ledger
/// `random_check_merge`; accepted tasks become one visit).
extension ConsoleController {
    @Sendable func decideRandomCheckMerge(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.approver) else {
            return problem(.forbidden, "处理合并建议需要审批人或管理员角色", "deciding a merge needs the approver or admin role", context: context)
        }
        guard let id = Self.id(context) else { return problem(.notFound, "没有该合并建议", "no such merge proposal", context: context) }
        let form = try context.form.decode(MergeDecisionForm.self)
        guard let decision = form.decision, decision == "accept" || decision == "decline" else {
            return problem(.badRequest, "请选择接受或拒绝", "choose accept or decline", context: context)
        }
        do {
            _ = try await randomCheckPlans.decideMerge(id, accept: decision == "accept", by: context.user.username)
        } catch let refusal as StoreRefusal {
            let error = refusal.errors.first
            return problem(
                refusal.kind == .notFound ? .notFound : .conflict,
                error?.messageZh ?? "无法处理",
                error?.messageEn ?? "refused",
                context: context
            )
        }
        return ConsoleRenderer.redirect("/console/random-checks/merges")
    }

    /// The merge form: `decision` is `accept` or `decline` (the button pressed).
    struct MergeDecisionForm: Decodable {
        var decision: String?
    }
}
