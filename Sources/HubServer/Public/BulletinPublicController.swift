import Foundation
import HubModel
import HubStore
import Hummingbird
import Supervision

/// The public, unauthenticated side of 监管动态 and 曝光台: published bulletins only, without who wrote or
/// approved them.
///
/// - `GET /public/v1/bulletins?kind=news|exposure&cursor=&limit=` — newest first, keyset pages (`nextCursor`)
/// - `GET /public/v1/bulletins/{id}` — one published bulletin; anything else (proposed, withdrawn, unknown) is 404
struct BulletinPublicController {
    let store: BulletinStore

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("public/v1/bulletins") { request, _ in try await list(request) }
        router.get("public/v1/bulletins/{id}") { request, context in try await show(request, id: context.parameters.get("id")) }
    }

    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let kindText = query.get("kind") else { throw HubHTTPError(.badRequest, [.required("kind")]) }
        let kind = try BulletinOpsController.value(kindText, BulletinKind.self, path: "kind")!
        let limit = try Self.limit(query.get("limit"))
        let cursor = try query.get("cursor").map(Self.cursor)
        let page = try await store.published(kind: kind, after: cursor, limit: limit + 1)
        let shown = Array(page.prefix(limit))
        var members: [(String, JSONValue)] = [
            ("kind", .string(kind.rawValue)), ("label", .string(kind.label)), ("items", .array(shown.map(Self.json))),
        ]
        if page.count > limit, let last = shown.last {
            members.append(("nextCursor", .string(String(last.id))))
        }
        return Answer.make(.object(members), for: request)
    }

    func show(_ request: Request, id: String?) async throws -> Response {
        guard let id = id.flatMap(Int64.init), let bulletin = try await store.bulletin(id), bulletin.status == .published else {
            throw HubHTTPError(.notFound, code: "no_such_bulletin", zh: "没有这条内容", en: "no such bulletin", path: "id")
        }
        return Answer.make(Self.json(bulletin), for: request)
    }

    static func limit(_ text: String?) throws -> Int {
        guard let text else { return 20 }
        guard let limit = Int(text), (1...100).contains(limit) else {
            throw HubHTTPError(.badRequest, code: "invalid_value", zh: "limit 应为 1–100 的整数", en: "limit is an integer from 1 to 100", path: "limit")
        }
        return limit
    }

    /// The id of the last item of the previous page, as `nextCursor` gave it.
    static func cursor(_ text: String) throws -> Int64 {
        guard (1...18).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(text) else {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_cursor",
                zh: "cursor 无效，请使用上一页返回的 nextCursor",
                en: "invalid cursor: use the nextCursor of the previous page",
                path: "cursor"
            )
        }
        return id
    }

    /// A bulletin as the public sees it.
    static func json(_ b: BulletinStore.Bulletin) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .number(String(b.id))), ("kind", .string(b.kind.rawValue)), ("department", .string(b.department)),
            ("departmentName", .string(b.departmentName)), ("title", .string(b.title)), ("body", .string(b.body)),
            ("publishedAt", .text(b.publishedAt)),
        ]
        if let localId = b.recordLocalId { members.append(("recordLocalId", .string(localId))) }
        if let decision = b.decisionPublicationId { members.append(("decisionPublicationId", .number(String(decision)))) }
        return .object(members)
    }
}
