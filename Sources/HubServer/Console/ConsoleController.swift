import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The ops console (运维控制台): server-rendered pages under `/console` for ops staff of the 行政审批服务局 and
/// the departments — sign-in, the mapping review queue, the exchange dashboard, record lookup, the ledger,
/// the catalog, 双随机一公开 (plans, draws, tasks, merge proposals, the libraries) and 监管动态/曝光台. Chinese UI text; plain HTML forms with a CSRF token; every action is a ledger entry naming
/// the user (review decisions and approvals, re-queues, verifications, checkpoints, sign-in and sign-out).
struct ConsoleController {
    let users: OpsUserStore
    let departments: DepartmentStore
    let reviews: ReviewStore
    let records: IngestStore
    let catalog: CatalogStore
    let mappings: MappingStore
    let outbox: OutboxStore
    let pulls: SyncCheckpoints
    let reconciliation: Reconciliation
    let ledger: LedgerReader
    let ledgerCheckpoints: LedgerCheckpoints
    let randomChecks: RandomCheckReads
    let libraries: LibraryStore
    /// Merge proposals accepted or declined from the console (`ConsoleController+RandomCheckMerges`).
    let randomCheckPlans: RandomCheckStore
    /// 监管动态 and 曝光台 (`ConsoleController+Bulletins`).
    let bulletins: BulletinStore
    /// 地方设立事项 (`ConsoleController+LocalItems`).
    let localItems: LocalItemStore
    /// The deadlines dashboard (`ConsoleController+Deadlines`): publications and cases past their limits.
    let disclosureDeadlines: DisclosureDeadlines
    let caseLimits: CaseStore
    let clues: ClueStore
    let observations: ObservationStore
    let riskReports: RiskReportStore
    /// Claims and the city and county lists (`ConsoleController+CatalogClaims`, `+CatalogLists`).
    let claims: ClaimStore
    /// Department code → its profile's catalog department (for the unclaimed items).
    let catalogDepartments: [String: String]
    let flashStore: ConsoleFlashStore
    let jobs: ConsoleJobRunner
    let signIn: SignIn
    let renderer: ConsoleRenderer
    /// `HUB_REVIEW_FOUR_EYES`: a decision waits for a second person's approval.
    let reviewFourEyes: Bool
    /// `HUB_PROVINCE_URL` (nil: no province configured).
    let provinceURL: String?

    func addRoutes(to router: Router<HubRequestContext>) {
        // `/` is the console's front door; the API and public paths are unchanged.
        router.get("/") { _, _ in ConsoleRenderer.redirect("/console") }
        // Added first: Hummingbird applies a middleware to the routes added after it (and to "no route").
        router.add(middleware: ConsoleNotFoundMiddleware(users: users, renderer: renderer))
        router.get("console/static/{file}") { _, context in
            guard let name = context.parameters.get("file"), let response = renderer.asset(name) else { throw HTTPError(.notFound) }
            return response
        }
        router.get("console/login", use: loginForm)
        router.post("console/login", use: login)
        let pages = router.group("console").add(middleware: ConsoleAuthMiddleware(users: users, renderer: renderer))
            .group(context: ConsoleRequestContext.self)
        pages.get("") { _, _ in ConsoleRenderer.redirect("/console/reviews") }
        pages.post("logout", use: logout)
        pages.get("help") { _, context in page("help", title: "帮助", tab: "help", ["html": renderer.help], context: context) }
        pages.get("reviews", use: reviewList)
        pages.get("reviews/export.{format}", use: reviewsExport)
        pages.get("reviews/{id}", use: review)
        pages.post("reviews/{id}/decide", use: decide)
        pages.post("reviews/{id}/approve", use: approve)
        pages.get("exchange", use: exchange)
        pages.post("exchange/requeue", use: requeue)
        pages.get("exchange/reconciliation/export.{format}", use: reconciliationExport)
        pages.get("exchange/dead-letters/export.{format}", use: deadLettersExport)
        pages.get("records", use: recordLookup)
        pages.get("records/export.{format}", use: recordsExport)
        pages.get("ledger", use: ledgerPage)
        pages.get("ledger/export.{format}", use: ledgerExport)
        pages.post("ledger/verify", use: verifyLedger)
        pages.post("ledger/checkpoint", use: checkpoint)
        pages.post("ledger/prove", use: prove)
        pages.get("jobs/{id}", use: job)
        pages.get("catalog", use: catalogPage)
        pages.get("catalog/export.{format}", use: catalogExport)
        pages.get("catalog/claims", use: claimsPage)
        pages.post("catalog/claims", use: proposeClaim)
        pages.post("catalog/claims/{id}", use: reviewClaim)
        pages.get("catalog/lists", use: listsPage)
        pages.get("catalog/lists/export.{format}", use: listsExport)
        pages.get("catalog/{code}", use: catalogItem)
        pages.get("local-items", use: localItemsPage)
        pages.post("local-items", use: registerLocalItem)
        pages.post("local-items/{id}", use: approveLocalItem)
        pages.get("random-checks", use: randomCheckPlans)
        pages.get("random-checks/plans/{planId}", use: randomCheckPlan)
        pages.get("random-checks/merges", use: randomCheckMerges)
        pages.post("random-checks/merges/{id}", use: decideRandomCheckMerge)
        pages.get("random-checks/libraries", use: randomCheckLibraries)
        pages.get("random-checks/exports/plans.{format}", use: randomCheckPlansExport)
        pages.get("random-checks/exports/tasks.{format}", use: randomCheckTasksExport)
        pages.get("bulletins", use: bulletinsPage)
        pages.post("bulletins", use: proposeBulletin)
        pages.post("bulletins/{id}", use: actOnBulletin)
        pages.get("deadlines", use: deadlinesPage)
        pages.get("deadlines/export.{format}", use: deadlinesExport)
        pages.get("risk", use: riskQueue)
        pages.get("risk/clues/{clueId}", use: riskClue)
        pages.post("risk/clues/{clueId}", use: actOnClue)
        pages.get("risk/reports", use: riskReport)
        pages.get("risk/reports/{file}", use: riskReportPDF)
        pages.post("risk/reports/{file}/publish", use: publishRiskReport)
        pages.get("messages", use: messagesPage)
        pages.get("messages/export.{format}", use: messagesExport)
        pages.get("messages/{id}", use: messageBatch)
    }

    // MARK: Sign-in and sign-out

    @Sendable func loginForm(_ request: Request, context: HubRequestContext) async throws -> Response {
        let token = ConsoleSession.randomToken()
        var response = renderer.page(
            "login",
            title: "登录",
            tab: "",
            [
                "login_csrf": token, "failed": request.uri.queryParameters.get("failed") != nil,
                "locked": request.uri.queryParameters.get("locked") != nil,
                "signed_out": request.uri.queryParameters.get("out") != nil,
            ],
            session: nil
        )
        response.setCookie(ConsoleSession.cookie(ConsoleSession.loginCookie, token, maxAge: 1800))
        return response
    }

    /// The sign-in form's fields.
    struct SignInForm: Decodable {
        var _csrf: String?
        var username: String?
        var password: String?
    }

    @Sendable func login(_ request: Request, context: HubRequestContext) async throws -> Response {
        let form: SignInForm
        do {
            form = try ConsoleForm(text: String(buffer: try await request.body.collect(upTo: 16 * 1024))).decode(SignInForm.self)
        } catch let error as HubHTTPError {
            return renderer.problem(error, session: nil)
        }
        guard let sent = form._csrf, let cookie = request.cookies[ConsoleSession.loginCookie]?.value, constantTimeEqual(sent, cookie) else {
            return renderer.problem(.forbidden, "登录表单已失效（CSRF 校验失败），请重新打开登录页", "the sign-in form expired (CSRF check failed)", session: nil)
        }
        // The same sign-in as the ops API (`SignIn.session`); its refusals shown as the sign-in page shows them.
        let session: SignIn.Session
        do {
            session = try await signIn.session(
                username: form.username ?? "",
                password: form.password ?? "",
                address: context.clientAddress,
                channel: .console
            )
        } catch let refusal as HubHTTPError {
            switch refusal.status {
            case .unauthorized: return ConsoleRenderer.redirect("/console/login?failed=1")
            case .tooManyRequests: return ConsoleRenderer.redirect("/console/login?locked=1")
            default: return renderer.problem(refusal, session: nil)
            }
        }
        return ConsoleRenderer.redirect(
            "/console/reviews",
            cookies: [
                ConsoleSession.cookie(ConsoleSession.cookie, session.token, maxAge: 12 * 3600),
                ConsoleSession.cookie(ConsoleSession.loginCookie, "", maxAge: 0),
            ]
        )
    }

    @Sendable func logout(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await users.revoke(token: context.session.token)
        try await users.recordAction(.consoleSignOut, by: context.user.username)
        return ConsoleRenderer.redirect("/console/login?out=1", cookies: [ConsoleSession.cookie(ConsoleSession.cookie, "", maxAge: 0)])
    }

    // MARK: Shared helpers

    /// Keeps a one-time message for this session's next page (see `ConsoleFlashStore`).
    func flash(_ context: ConsoleRequestContext, _ flash: ConsoleFlashStore.Flash) async throws {
        try await flashStore.put(session: context.session.token, flash)
    }

    /// This session's waiting messages with one of `codes`, consumed.
    func takeFlashes(_ context: ConsoleRequestContext, codes: [String]) async throws -> [ConsoleFlashStore.Flash] {
        try await flashStore.take(session: context.session.token, codes: codes)
    }

    /// A page of this session.
    func page(_ template: String, title: String, tab: String, _ values: [String: Any], context: ConsoleRequestContext) -> Response {
        renderer.page(template, title: title, tab: tab, values, session: context.session)
    }

    /// A refusal page of this session.
    func problem(_ status: HTTPResponse.Status, _ zh: String, _ en: String, context: ConsoleRequestContext) -> Response {
        renderer.problem(status, zh, en, session: context.session)
    }

    /// A store's refusal of an action as a problem page: 403 for four eyes or scope, 409 for the rest.
    func problem(_ refusal: StoreRefusal, context: ConsoleRequestContext) -> Response {
        let error = refusal.errors.first
        return problem(
            refusal.kind == .forbidden ? .forbidden : .conflict,
            error?.messageZh ?? "无法处理",
            error?.messageEn ?? "refused",
            context: context
        )
    }

    static func id(_ context: ConsoleRequestContext) -> Int64? { context.parameters.get("id", as: Int64.self) }

    /// A department code as typed in a filter: ASCII letters, digits and `-`/`_` only, else ignored.
    static func departmentFilter(_ value: String?) -> String? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty, v.count <= 32,
            v.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return v
    }
}
