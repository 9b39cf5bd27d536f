import HubModel
import HubStore
import Hummingbird

/// The catalog for department systems on the signed department API:
///
/// - `GET /api/v1/catalog?department=&level=&changedSince=&limit=` — the implementation items of the caller's
///   agencies (`department_agencies`) with their catalog items, newest versions, in change order. Without
///   `changedSince` from the start (the whole list, retired items included); with it, only what changed after that
///   cursor. Each answer's `next` is the cursor to pass on; `more` says whether another page follows at once.
///   JSON, or XML with `Accept: application/xml` (`Schemas/catalog-v1.xsd`): the same items in the same order.
///
/// The cursor never skips a change: the tables assign `seq` under a lock every catalog writer takes (migration 20),
/// so seq order is commit order (`CatalogStore.departmentItems`).
struct CatalogController {
    let departments: DepartmentStore
    let catalog: CatalogStore

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.get("catalog") { request, context in try await list(request, context) }
    }

    func list(_ request: Request, _ context: DepartmentRequestContext) async throws -> Response {
        let query = StrictQuery(request)
        let parameters = request.uri.queryParameters
        let caller = context.department
        if let asked = parameters.get("department"), asked != caller.code {
            throw HubHTTPError(
                .forbidden,
                code: "other_department",
                zh: "只能读取本部门（\(caller.code)）实施机构的监管事项",
                en: "a department reads the catalog of its own agencies only (\(caller.code))",
                path: "department"
            )
        }
        var level: Int?
        if let text = parameters.get("level") {
            guard text == "3" || text == "4" else {
                throw HubHTTPError(
                    .badRequest,
                    code: "invalid_query_parameter",
                    zh: "查询参数 level 应为 3（市级）或 4（县级）",
                    en: "query parameter level must be 3 (city) or 4 (county)",
                    path: "level"
                )
            }
            level = Int(text)
        }
        var after = CatalogCursor.start
        if let token = parameters.get("changedSince") {
            guard let cursor = CatalogCursor(token: token) else {
                throw HubHTTPError(
                    .badRequest,
                    code: "invalid_cursor",
                    zh: "changedSince 不是本接口给出的游标（请使用上次答复的 next）",
                    en: "changedSince is not a cursor this API gave (pass the next of an earlier answer)",
                    path: "changedSince"
                )
            }
            after = cursor
        }
        let limit = Int(try query.integer("limit", in: 1...5000, default: 500))
        let agencies = try await departments.agencies(department: caller).map(\.code)
        let page = try await catalog.departmentItems(agencies: agencies, level: level, after: after, limit: limit)
        return Answer.make(
            .object([
                ("department", .string(caller.code)),
                ("items", .array(page.items.map(Self.item))),
                ("more", .bool(page.more)),
                ("next", .string((page.items.last?.position ?? after).token)),
            ]),
            for: request
        )
    }

    static func item(_ i: CatalogStore.DepartmentItem) -> JSONValue {
        .object([
            ("implementationCode", .string(i.implementationCode)), ("agencyCode", .string(i.agencyCode)), ("agencyName", .string(i.agencyName)),
            ("regionCode", .string(i.regionCode)), ("level", .number(String(i.level))), ("catalogCode", .string(i.catalogCode)),
            ("name", .string(i.name)), ("itemType", .string(i.itemType)), ("legalBasis", .string(i.legalBasis)),
            ("parentCode", i.parentCode.map(JSONValue.string) ?? .null), ("status", .string(i.status)),
            ("effectiveFrom", i.effectiveFrom.map(JSONValue.string) ?? .null), ("version", .number(String(i.version))),
            ("implementationVersion", .number(String(i.implementationVersion))),
        ])
    }
}
