import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The ops console (运维控制台): server-rendered pages under `/console` for ops staff of the 行政审批服务局 and
/// the departments — sign-in, the mapping review queue, the exchange dashboard, record lookup, the ledger and
/// the catalog. Chinese UI text; plain HTML forms with a CSRF token; every action is a ledger entry naming
/// the user (review decisions and approvals, re-queues, verifications, checkpoints, sign-in and sign-out).
struct ConsoleController {
    let hub: HubContext
    let renderer: ConsoleRenderer

    func addRoutes(to router: Router<HubRequestContext>) {
        router.get("console/static/{file}") { _, context in
            guard let name = context.parameters.get("file"), let response = renderer.asset(name) else { throw HTTPError(.notFound) }
            return response
        }
        router.get("console/login", use: loginForm)
        router.post("console/login", use: login)
        let pages = router.group("console").add(middleware: ConsoleAuthMiddleware(users: hub.opsUsers, renderer: renderer))
        pages.get("") { _, _ in ConsoleRenderer.redirect("/console/reviews") }
        pages.post("logout", use: logout)
        pages.get("reviews", use: reviews)
        pages.get("reviews/{id}", use: review)
        pages.post("reviews/{id}/decide", use: decide)
        pages.post("reviews/{id}/approve", use: approve)
        pages.get("exchange", use: exchange)
        pages.post("exchange/requeue", use: requeue)
        pages.get("records", use: records)
        pages.get("ledger", use: ledger)
        pages.post("ledger/verify", use: verifyLedger)
        pages.post("ledger/checkpoint", use: checkpoint)
        pages.post("ledger/prove", use: prove)
        pages.get("jobs/{id}", use: job)
        pages.get("catalog", use: catalog)
        pages.get("catalog/{code}", use: catalogItem)
    }

    // MARK: Sign-in and sign-out

    @Sendable func loginForm(_ request: Request, context: HubRequestContext) async throws -> Response {
        let token = ConsoleSession.randomToken()
        var response = renderer.page("login", title: "登录", tab: "", [
            "login_csrf": token, "failed": request.uri.queryParameters.get("failed") != nil,
            "locked": request.uri.queryParameters.get("locked") != nil,
            "signed_out": request.uri.queryParameters.get("out") != nil,
        ], context: context)
        response.headers.append(HTTPField(name: .setCookie, value: ConsoleSession.setCookie(ConsoleSession.loginCookie, token, maxAge: 1800)))
        return response
    }

    @Sendable func login(_ request: Request, context: HubRequestContext) async throws -> Response {
        var request = request
        let form = ConsoleSession.parseForm(String(buffer: try await request.collectBody(upTo: 16 * 1024)))
        guard let sent = form["_csrf"], let cookie = ConsoleSession.cookieValue(request, name: ConsoleSession.loginCookie),
              constantTimeEqual(sent, cookie) else {
            return renderer.problem(.forbidden, "登录表单已失效（CSRF 校验失败），请重新打开登录页", "the sign-in form expired (CSRF check failed)", context: context)
        }
        let username = form["username"] ?? ""
        guard username.utf8.count <= SignIn.maxUsernameBytes else {
            return renderer.problem(.badRequest, "用户名过长（最多 \(SignIn.maxUsernameBytes) 字节）",
                                    "the username is longer than \(SignIn.maxUsernameBytes) bytes", context: context)
        }
        let user: OpsUser
        switch try await hub.signIn.attempt(username: username, password: form["password"] ?? "", address: context.clientAddress, channel: .console) {
        case .signedIn(let u): user = u
        case .wrongCredentials: return ConsoleRenderer.redirect("/console/login?failed=1")
        case .throttled: return ConsoleRenderer.redirect("/console/login?locked=1")
        }
        let (token, _) = try await hub.opsUsers.issueToken(for: user)
        return ConsoleRenderer.redirect("/console/reviews", cookies: [
            ConsoleSession.setCookie(ConsoleSession.cookie, token, maxAge: 12 * 3600),
            ConsoleSession.setCookie(ConsoleSession.loginCookie, "", maxAge: 0),
        ])
    }

    @Sendable func logout(_ request: Request, context: HubRequestContext) async throws -> Response {
        if let token = context.consoleSession { try await hub.opsUsers.revoke(token: token) }
        try await hub.opsUsers.recordAction("console_sign_out", by: context.opsUser!.username)
        return ConsoleRenderer.redirect("/console/login?out=1", cookies: [ConsoleSession.setCookie(ConsoleSession.cookie, "", maxAge: 0)])
    }

    // MARK: Shared helpers

    /// Keeps a one-time message for this session's next page (see `ConsoleFlashStore`).
    func flash(_ context: HubRequestContext, _ flash: ConsoleFlashStore.Flash) async throws {
        guard let session = context.consoleSession else { return }
        try await ConsoleFlashStore(db: hub.db).put(session: session, flash)
    }

    /// This session's waiting messages with one of `codes`, consumed.
    func flashes(_ context: HubRequestContext, codes: [String]) async throws -> [ConsoleFlashStore.Flash] {
        guard let session = context.consoleSession else { return [] }
        return try await ConsoleFlashStore(db: hub.db).take(session: session, codes: codes)
    }

    static func id(_ context: HubRequestContext) -> Int64? { context.parameters.get("id", as: Int64.self) }

    /// A department code as typed in a filter: ASCII letters, digits and `-`/`_` only, else ignored.
    static func departmentFilter(_ value: String?) -> String? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty, v.count <= 32,
              v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        return v
    }
}
