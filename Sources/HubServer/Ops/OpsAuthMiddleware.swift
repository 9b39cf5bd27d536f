import HubStore
import Hummingbird

/// Ops staff authenticate with a bearer token from `POST /api/v1/ops/login`.
struct OpsAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let users: OpsUserStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let user = try await users.user(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else {
            throw HubHTTPError(.unauthorized, code: "ops_login_required", zh: "请先登录（Authorization: Bearer 令牌）",
                               en: "sign in first (Authorization: Bearer token)")
        }
        var context = context
        context.opsUser = user
        context.logger[metadataKey: "ops_user"] = .string(user.username)
        return try await next(request, context)
    }
}
