import HubStore
import Hummingbird

/// Ops staff authenticate with a bearer token from `POST /api/v1/ops/login`; the routes behind it run in an
/// `OpsRequestContext` whose user is not optional.
struct OpsAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let users: OpsUserStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let user = try await users.user(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else {
            throw HubHTTPError.opsLoginRequired
        }
        var context = context
        context.identity = .ops(user)
        context.logger[metadataKey: "ops_user"] = .string(user.username)
        return try await next(request, context)
    }
}
