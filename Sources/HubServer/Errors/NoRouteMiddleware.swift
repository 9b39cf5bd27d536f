import HTTPTypes
import Hummingbird

/// The documented HTTP surface: every path of `Schemas/openapi.yaml` (and the operations endpoints) with the
/// methods it answers. The router is the truth for what runs; this table is what a refusal names in `Allow`.
/// `NoRouteTests` checks it against openapi.yaml, so the two cannot drift apart.
package enum APIRoutes {
    package static let documented: [(path: String, methods: [HTTPRequest.Method])] = [
        ("/health", [.get]), ("/ready", [.get]), ("/metrics", [.get]),
        ("/api/v1/records", [.post]), ("/api/v1/records/{localId}", [.get]), ("/api/v1/receipts", [.get]),
        ("/api/v1/tasks", [.get]), ("/api/v1/tasks/{taskId}/feedback", [.post]), ("/api/v1/clues", [.get]),
        ("/api/v1/clues/{clueId}", [.get]), ("/api/v1/clues/{clueId}/verification", [.post]), ("/api/v1/clues/{clueId}/disposition", [.post]),
        ("/api/v1/clues/{clueId}/closure", [.post]), ("/api/v1/ops/clues", [.get]), ("/api/v1/ops/clues/{clueId}/assignment", [.post]),
        ("/api/v1/ops/login", [.post]), ("/api/v1/ops/reviews", [.get]), ("/api/v1/ops/reviews/{id}", [.get]),
        ("/api/v1/ops/reviews/{id}/decide", [.post]), ("/api/v1/ops/reviews/{id}/approve", [.post]),
        ("/api/v1/ops/sync", [.get]), ("/api/v1/ops/outbox/dead", [.get]), ("/api/v1/ops/outbox/requeue", [.post]),
        ("/api/v1/ops/reconciliation", [.get]), ("/api/v1/ops/records", [.get]),
        ("/api/v1/ledger/checkpoints", [.get]), ("/api/v1/ledger/consistency", [.get]),
        ("/api/v1/random-checks/items", [.post]), ("/api/v1/random-checks/subjects", [.post]),
        ("/api/v1/random-checks/subjects/{id}", [.get]), ("/api/v1/random-checks/inspectors", [.get, .post]),
        ("/api/v1/random-checks/conflicts", [.post]), ("/api/v1/cases/events", [.post]), ("/api/v1/cases/{caseNo}", [.get]),
        ("/api/v1/random-checks/plans/{planId}", [.get]), ("/api/v1/random-checks/tasks", [.get]), ("/api/v1/catalog", [.get]),
        ("/api/v1/ops/random-checks/plans", [.get, .post]), ("/api/v1/ops/random-checks/plans/{planId}/approve", [.post]),
        ("/api/v1/ops/random-checks/plans/{planId}/draw", [.post]), ("/api/v1/ops/random-checks/merges", [.get]),
        ("/api/v1/ops/random-checks/merges/{id}/accept", [.post]), ("/api/v1/ops/random-checks/merges/{id}/decline", [.post]),
        ("/api/v1/ops/random-checks/reports/visits", [.get]), ("/api/v1/ops/random-checks/tasks/{taskId}/substitutions", [.post]),
        ("/api/v1/ops/bulletins", [.get, .post]), ("/api/v1/ops/bulletins/{id}/approve", [.post]),
        ("/api/v1/ops/bulletins/{id}/withdraw", [.post]), ("/public/v1/bulletins", [.get]), ("/public/v1/bulletins/{id}", [.get]),
        ("/api/v1/publications/withdrawals", [.post]), ("/api/v1/ops/publications/withdrawals", [.post]),
        ("/public/v1/publications", [.get]), ("/public/v1/publications/{id}", [.get]), ("/public/feed.atom", [.get]),
        ("/api/v1/risk/observations", [.post]),
        ("/api/v1/catalog/claims", [.get, .post]), ("/api/v1/ops/catalog/claims", [.get, .post]),
        ("/api/v1/ops/catalog/claims/{id}/approve", [.post]), ("/api/v1/ops/catalog/claims/{id}/reject", [.post]),
        ("/api/v1/ops/catalog/unclaimed", [.get]),
        ("/api/v1/ops/local-items", [.get, .post]), ("/api/v1/ops/local-items/{id}", [.get]), ("/api/v1/ops/local-items/{id}/approve", [.post]),
        ("/api/v1/ops/messages", [.get]), ("/api/v1/ops/messages/{id}", [.get]),
    ]

    /// The methods a documented path answers (nil when the path is not documented). `{name}` matches one segment.
    static func methods(for path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return documented.first { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false)
            return pattern.count == segments.count
                && zip(pattern, segments).allSatisfy { p, s in
                    (p.hasPrefix("{") && p.hasSuffix("}") && !s.isEmpty) || p == s
                }
        }?.methods
    }
}

/// Answers what the router found no route for in the hub's error shape: 405 with `Allow` for a documented
/// path asked with another method, 404 `no_such_route` otherwise — instead of an empty 404 without a content
/// type, which a department system cannot parse. Console pages keep their own answers.
struct NoRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the API's documented paths are served here (405 for another method); the public listener has none.
    var apiRoutes = true

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            let path = request.uri.path
            if path == "/console" || path.hasPrefix("/console/") { throw error }
            if apiRoutes, let methods = APIRoutes.methods(for: path) {
                let allowed = methods.map(\.rawValue).joined(separator: ", ")
                var refusal = HubHTTPError(
                    .methodNotAllowed,
                    code: "method_not_allowed",
                    zh: "该路径不支持 \(request.method.rawValue) 方法，可用：\(allowed)",
                    en: "\(request.method.rawValue) is not allowed on this path; allowed: \(allowed)"
                )
                refusal.allow = allowed
                throw refusal
            }
            throw HubHTTPError(.notFound, code: "no_such_route", zh: "没有这个接口路径", en: "no such route", path: path.count <= 200 ? path : "")
        }
    }
}
