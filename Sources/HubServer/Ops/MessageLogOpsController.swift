import Foundation
import HubModel
import HubStore
import Hummingbird
import Ingest

/// The message log (报送日志) for ops tools, behind the ops sign-in — the console page's twin:
///
/// - `GET messages?department=&status=&error=&item=&from=&to=&batch=&direction=&after=&limit=` — newest first,
///   keyset paged: `next` is the `after` of the following page (absent at the end)
/// - `GET messages/{id}` — one batch with the hub's answer per record (or the refusal's errors)
///
/// A user scoped to departments sees those departments' batches only (others answer 404).
struct MessageLogOpsController {
    let store: MessageLogStore

    func addRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.get("messages", use: list)
        group.get("messages/{id}", use: show)
    }

    @Sendable func list(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let strict = StrictQuery(request)
        let q = request.uri.queryParameters
        for (name, maxLength) in [("department", 32), ("error", 64), ("item", 64), ("batch", 50)] {
            try strict.text(name, maxLength: maxLength)
        }
        _ = try BulletinOpsController.value(q.get("status"), MessageLogFilter.Status.self, path: "status")
        _ = try BulletinOpsController.value(q.get("direction"), MessageDirection.self, path: "direction")
        for day in ["from", "to"] {
            if let text = q.get(day), CalendarDate(text) == nil {
                throw HubHTTPError(
                    .badRequest,
                    code: "invalid_date",
                    zh: "\(day) 应为 YYYY-MM-DD 日期",
                    en: "\(day) must be a YYYY-MM-DD date",
                    path: day
                )
            }
        }
        let after = try strict.integer("after", in: 1...Int64.max, default: 0)
        let limit = try strict.integer("limit", in: 1...500, default: 50)
        var query = MessageLogQuery(ConsoleController.parameters(request), scope: context.user.departmentScope)
        query.after = after == 0 ? nil : after
        let page = try await store.list(query.filter, after: query.after, limit: Int(limit))
        var members: [(String, JSONValue)] = [("messages", .array(page.batches.map { Self.json($0) }))]
        if let next = page.next { members.append(("next", .number(String(next)))) }
        return Answer.make(.object(members), for: request)
    }

    @Sendable func show(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let id = try OpsController.id(context)
        guard let batch = try await store.batch(id, scope: context.user.departmentScope) else {
            throw HubHTTPError(.notFound, code: "message_not_found", zh: "没有该报送批次", en: "no such batch", path: "id")
        }
        return Answer.make(Self.json(batch, details: true), for: request)
    }

    static func json(_ b: MessageLogStore.Batch, details: Bool = false) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("id", .number(String(b.id))), ("receivedAt", .string(ISO8601DateFormatter().string(from: b.receivedAt))),
            ("direction", .string(b.direction.rawValue)), ("kind", .string(b.kind)), ("department", .string(b.department)),
            ("system", .text(b.system)), ("format", .string(b.format)), ("bodyBytes", .number(String(b.bodyBytes))),
            ("batchId", .text(b.batchId)), ("status", .string(b.status.rawValue)),
            (
                "summary",
                .object([
                    ("records", .number(String(b.recordCount))), ("accepted", .number(String(b.accepted))), ("held", .number(String(b.held))),
                    ("duplicate", .number(String(b.duplicate))), ("rejected", .number(String(b.rejected))),
                ])
            ),
            ("errorCodes", .array(b.errorCodes.map { .string($0) })), ("itemCodes", .array(b.itemCodes.map { .string($0) })),
            ("pruned", .bool(b.prunedAt != nil)),
        ]
        guard details else { return .object(m) }
        m.append(("errors", .array(b.batchErrors.map(\.json))))
        m.append(
            (
                "results",
                .array(
                    b.answers.map { a in
                        var r: [(String, JSONValue)] = [("index", .number(String(a.index))), ("status", .string(a.status.rawValue))]
                        if let v = a.localId { r.append(("localId", .string(v))) }
                        if let v = a.version { r.append(("version", .number(String(v)))) }
                        if let v = a.itemCode { r.append(("itemCode", .string(v))) }
                        if let v = a.catalogCode { r.append(("catalogCode", .string(v))) }
                        if let v = a.reviewId { r.append(("reviewId", .number(String(v)))) }
                        if !a.errors.isEmpty { r.append(("errors", .array(a.errors.map(\.json)))) }
                        return .object(r)
                    }
                )
            )
        )
        return .object(m)
    }
}
