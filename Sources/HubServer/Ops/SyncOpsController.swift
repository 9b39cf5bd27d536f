import Foundation
import HubModel
import HubStore
import Hummingbird

/// The ops API of the provincial exchange (`/api/v1/ops/…`, bearer token from `/api/v1/ops/login`):
///
/// - `GET  /api/v1/ops/sync` — backlog, lag, dead letters count, and every feed's checkpoint
/// - `GET  /api/v1/ops/outbox/dead` — the dead-letter list
/// - `POST /api/v1/ops/outbox/requeue` `{"ids":[…]}` — back in the queue (admin or approver; a ledger entry)
/// - `GET  /api/v1/ops/reconciliation?date=YYYY-MM-DD` — per department: in, normalized, held, rejected,
///   delivered, accepted and rejected by the province, with each identity checked and explained
struct SyncOpsController {
    let outbox: OutboxStore
    let checkpoints: SyncCheckpoints
    let reconciliation: Reconciliation
    /// `HUB_PROVINCE_URL` (nil: no province configured).
    let provinceURL: String?

    /// The exchange routes, on the authenticated `/api/v1/ops` group.
    func addRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.get("sync", use: status)
        group.get("outbox/dead", use: dead)
        group.post("outbox/requeue", use: requeue)
        group.get("reconciliation", use: reconcile)
    }

    @Sendable func status(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let backlog = try await outbox.backlog()
        let checkpoints: [JSONValue] = try await checkpoints.all().map { c in
            .object([
                ("name", .string(c.name)), ("cursor", .string(c.cursor)), ("lastSuccessAt", .text(c.lastSuccessAt)),
                ("lastError", .text(c.lastError.map(PersonalData.maskText))), ("lastErrorAt", .text(c.lastErrorAt)),
            ])
        }
        return Answer.make(
            .object([
                ("province", .text(provinceURL)),
                ("pending", .number(String(backlog.pending))), ("dead", .number(String(backlog.dead))),
                ("lagSeconds", .number(String(format: "%.3f", backlog.lagSeconds))), ("checkpoints", .array(checkpoints)),
            ]),
            for: request
        )
    }

    @Sendable func dead(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let letters: [JSONValue] = try await outbox.deadLetters().map { d in
            .object([
                ("id", .number(String(d.id))), ("department", .string(d.department)), ("localId", .string(d.localId)),
                ("version", .number(String(d.version))), ("attempts", .number(String(d.attempts))),
                ("lastError", .text(d.lastError.map(PersonalData.maskText))), ("queuedAt", .string(d.queuedAt)),
            ])
        }
        return Answer.make(.object([("deadLetters", .array(letters))]), for: request)
    }

    @Sendable func requeue(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let user = context.user
        guard !user.roles.isDisjoint(with: [.admin, .approver]) else {
            throw HubHTTPError(.forbidden, code: "role_required", zh: "需要管理员或审批人角色", en: "the admin or approver role is required")
        }
        let body = try await StrictBody.read(request, members: ["ids": .integerArray])
        guard let list = body["ids"]?.arrayValue, !list.isEmpty, list.count <= 1000 else {
            throw HubHTTPError(.badRequest, code: "required", zh: "需要 ids 数组（1–1000 个）", en: "ids is required (1–1000 numbers)", path: "ids")
        }
        var ids: [Int64] = []
        for (i, v) in list.enumerated() {
            guard let id = v.integerValue else {
                throw HubHTTPError(.badRequest, code: "wrong_type", zh: "编号应为整数", en: "an id is an integer", path: "ids[\(i)]")
            }
            ids.append(id)
        }
        let count = try await outbox.requeue(ids: ids, by: user.username)
        return Answer.make(.object([("requeued", .number(String(count)))]), for: request)
    }

    @Sendable func reconcile(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let date = request.uri.queryParameters.get("date") ?? Self.today()
        guard Timestamp(date + "T00:00:00+08:00") != nil else {
            throw HubHTTPError(.badRequest, code: "invalid_date", zh: "date 应为 YYYY-MM-DD", en: "date is YYYY-MM-DD", path: "date")
        }
        let rows = try await reconciliation.report(day: date)
        return Answer.make(.object([("date", .string(date)), ("departments", .array(rows.map(Self.json)))]), for: request)
    }

    static func json(_ r: Reconciliation.Row) -> JSONValue {
        func n(_ v: Int) -> JSONValue { .number(String(v)) }
        return .object([
            ("department", .string(r.department)), ("received", n(r.received)), ("acceptedAtIntake", n(r.acceptedAtIntake)),
            ("heldAtIntake", n(r.heldAtIntake)), ("duplicates", n(r.duplicates)), ("rejectedAtIntake", n(r.rejectedAtIntake)),
            ("normalized", n(r.normalized)), ("stillHeld", n(r.stillHeld)), ("rejectedAfterReview", n(r.rejectedAfterReview)),
            ("queued", n(r.queued)), ("delivered", n(r.delivered)), ("provinceAccepted", n(r.provinceAccepted)),
            ("provinceRejected", n(r.provinceRejected)), ("pending", n(r.pending)), ("dead", n(r.dead)),
            (
                "checks",
                .array(r.checks.map { .object([("check", .string($0.name)), ("ok", .bool($0.ok)), ("explanation", .string($0.explanation))]) })
            ),
        ])
    }

    static func today() -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: Date())
    }
}
