import Foundation
import HubModel
import HubStore
import Hummingbird
import Ingest
import Supervision

/// The ops API of clues, behind the ops sign-in (a user scoped to departments sees and assigns only theirs):
///
/// - `GET  /api/v1/ops/clues?status=&model=&department=&origin=&overdue=&from=&to=&limit=&offset=` — newest first, paged
/// - `POST /api/v1/ops/clues/{clueId}/assignment` `{"department"}` — 分派 (or 改派 before verification); reviewer role
struct ClueOpsController {
    let clues: ClueStore

    func addRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.get("clues", use: list)
        group.post("clues/{clueId}/assignment", use: assign)
    }

    @Sendable func list(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let strict = StrictQuery(request)
        var filter = ClueStore.Filter(departments: context.user.departmentScope)
        filter.status = try Self.value(query.get("status"), path: "status", ClueStatus.init(rawValue:))
        filter.origin = try Self.value(query.get("origin"), path: "origin", ClueOrigin.init(rawValue:))
        filter.overdue = try Self.value(query.get("overdue"), path: "overdue") { ["true": true, "false": false][$0] }
        filter.receivedFrom = try Self.value(query.get("from"), path: "from", CalendarDate.init)
        filter.receivedTo = try Self.value(query.get("to"), path: "to", CalendarDate.init)
        filter.model = try Self.text(query.get("model"), path: "model")
        filter.department = try Self.text(query.get("department"), path: "department")
        let limit = Int(try strict.integer("limit", in: 1...500, default: 50))
        let offset = Int(try strict.integer("offset", in: 0...1_000_000, default: 0))
        let page = try await clues.list(filter, limit: limit, offset: offset)
        let today = ClueStore.day(Date())
        return Answer.make(
            .object([
                ("total", .number(String(page.total))), ("offset", .number(String(page.offset))), ("limit", .number(String(page.limit))),
                ("clues", .array(page.clues.map { $0.json(today: today) })),
            ]),
            for: request
        )
    }

    @Sendable func assign(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.decide, context.user)
        let body = try await StrictBody.read(request, members: ["department": .string])
        let department = try ClueRequests.assignment(body)
        let result = try await clues.act(
            ClueController.clueId(context),
            step: .assign(department: department),
            actor: .ops(username: context.user.username, departments: context.user.departmentScope)
        )
        return Answer.make(ClueController.answer(result), for: request)
    }

    /// An optional enumerated query parameter: absent is nil, anything not in the list is a 400 naming it.
    static func value<T>(_ text: String?, path: String, _ read: (String) -> T?) throws -> T? {
        guard let text else { return nil }
        guard let value = read(text) else {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_query_parameter",
                zh: "查询参数 \(path) 的值“\(text.prefix(64))”无效",
                en: "query parameter \(path) has an invalid value",
                path: path
            )
        }
        return value
    }

    /// An optional free-text parameter (at most 64 characters, not empty).
    static func text(_ text: String?, path: String) throws -> String? {
        try value(text, path: path) { $0.isEmpty || $0.count > 64 ? nil : $0 }
    }
}
