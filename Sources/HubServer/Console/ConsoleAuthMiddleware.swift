import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import NIOCore

/// Guards every console page but the sign-in: a valid session cookie, or a redirect to the sign-in page;
/// and on every POST, a form whose `_csrf` field matches the session's token, or 403.
struct ConsoleAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let users: OpsUserStore
    let renderer: ConsoleRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = ConsoleSession.cookieValue(request, name: ConsoleSession.cookie),
              let user = try await users.user(token: token) else {
            return Response(status: .seeOther, headers: [.location: "/console/login"])
        }
        var context = context
        context.opsUser = user
        context.consoleSession = token
        context.logger[metadataKey: "ops_user"] = .string(user.username)
        var request = request
        if request.method == .post {
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: 256 * 1024) } catch {
                return renderer.problem(.contentTooLarge, "表单过大", "the form is too large", context: context)
            }
            context.form = ConsoleSession.parseForm(String(buffer: body))
            guard let sent = context.form["_csrf"], constantTimeEqual(sent, ConsoleSession.csrfToken(session: token)) else {
                return renderer.problem(.forbidden, "表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试",
                                        "the form has no valid CSRF token: reload the page and try again", context: context)
            }
        }
        return try await next(request, context)
    }
}
