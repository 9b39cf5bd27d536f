import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import NIOCore

/// Guards every console page but the sign-in: a valid session cookie, or a redirect to the sign-in page;
/// and on every POST, a form whose `_csrf` field matches the session's token, or 403. The pages behind it run
/// in a `ConsoleRequestContext` holding the session and the form.
struct ConsoleAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let users: OpsUserStore
    let renderer: ConsoleRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[ConsoleSession.cookie]?.value, let user = try await users.user(token: token) else {
            return Response(status: .seeOther, headers: [.location: "/console/login"])
        }
        let session = ConsoleSession(user: user, token: token)
        var context = context
        context.logger[metadataKey: "ops_user"] = .string(user.username)
        var form = ConsoleForm.empty
        if request.method == .post {
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: 256 * 1024) } catch {
                return renderer.problem(.contentTooLarge, "表单过大", "the form is too large", session: session)
            }
            form = ConsoleForm(text: String(buffer: body))
            guard let fields = try? form.decode(ConsoleForm.Guard.self) else {
                return renderer.problem(.badRequest, "表单格式错误", "the form cannot be read", session: session)
            }
            guard let sent = fields._csrf, constantTimeEqual(sent, session.csrfToken) else {
                return renderer.problem(
                    .forbidden,
                    "表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试",
                    "the form has no valid CSRF token: reload the page and try again",
                    session: session
                )
            }
        }
        context.identity = .console(session, form: form)
        return try await next(request, context)
    }
}
