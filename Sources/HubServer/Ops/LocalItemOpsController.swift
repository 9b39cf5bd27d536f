import Foundation
import HubModel
import HubStore
import Hummingbird
import Ingest
import Normalization

/// The ops API of items set by local legislation (地方设立事项, `/api/v1/ops/local-items…`), behind the ops sign-in:
///
/// - `GET  local-items?status=` — newest first
/// - `GET  local-items/{id}`
/// - `POST local-items` `{"department","name","itemType","catalogDepartment","legalBasis","parentCode","levels","regionCode","agencies"}`
///   — register (reviewer role); the answer carries the provisional code
/// - `POST local-items/{id}/approve` — a second person (approver, not the proposer) sends it to the province
///
/// A user scoped to departments acts only for those departments (others answer 404, as for reviews).
struct LocalItemOpsController {
    let store: LocalItemStore

    func addRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.get("local-items", use: list)
        group.get("local-items/{id}", use: show)
        group.post("local-items", use: register)
        group.post("local-items/{id}/approve", use: approve)
    }

    @Sendable func list(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let status = try BulletinOpsController.value(request.uri.queryParameters.get("status"), LocalItemStatus.self, path: "status")
        let items = try await store.list(status: status, departments: context.user.departmentScope)
        return Answer.make(.object([("localItems", .array(items.map(Self.json)))]), for: request)
    }

    @Sendable func show(_ request: Request, context: OpsRequestContext) async throws -> Response {
        Answer.make(Self.json(try await visible(context)), for: request)
    }

    @Sendable func register(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.decide, context.user)
        let body = try await StrictBody.read(
            request,
            members: [
                "department": .string, "name": .string, "itemType": .string, "catalogDepartment": .string, "legalBasis": .string,
                "parentCode": .string, "levels": .string, "regionCode": .string, "agencies": .stringArray,
            ]
        )
        let read = LocalItemDraft.read(body)
        guard let draft = read.draft else { throw HubHTTPError(.badRequest, read.errors) }
        guard context.user.sees(department: draft.department) else {
            throw HubHTTPError(
                .forbidden,
                code: "department_out_of_scope",
                zh: "您的账号不能代表该部门登记事项",
                en: "your account does not act for this department",
                path: "department"
            )
        }
        return Answer.make(Self.json(try await store.register(draft, by: context.user.username)), status: .created, for: request)
    }

    @Sendable func approve(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.approve, context.user)
        let item = try await visible(context)
        return Answer.make(Self.json(try await store.approve(item.id, by: context.user.username)), for: request)
    }

    /// The path's item when the user may see it; another department's item is as unknown as a missing one.
    func visible(_ context: OpsRequestContext) async throws -> LocalItemStore.LocalItem {
        let id = try OpsController.id(context)
        guard let item = try await store.item(id), context.user.sees(department: item.department) else {
            throw HubHTTPError(.notFound, code: "no_such_local_item", zh: "没有这个地方设立事项", en: "no such local item", path: "id")
        }
        return item
    }

    static func json(_ item: LocalItemStore.LocalItem) -> JSONValue {
        .object([
            ("id", .number(String(item.id))), ("provisionalCode", .string(item.provisionalCode)), ("department", .string(item.department)),
            ("name", .string(item.name)), ("itemType", .string(item.itemType.rawValue)), ("catalogDepartment", .string(item.catalogDepartment)),
            ("legalBasis", .string(item.legalBasis)), ("legalRefs", .array(item.legalRefs.map { .string($0.description) })),
            ("parentCode", .text(item.parentCode)), ("levels", .string(item.levels)), ("regionCode", .string(item.regionCode)),
            ("agencies", .array(item.agencies.map(JSONValue.string))), ("status", .string(item.status.rawValue)),
            ("statusLabel", .string(item.status.label)), ("proposedBy", .string(item.proposedBy)), ("proposedAt", .string(item.proposedAt)),
            ("approvedBy", .text(item.approvedBy)), ("approvedAt", .text(item.approvedAt)), ("provincialCode", .text(item.provincialCode)),
            ("codedAt", .text(item.codedAt)),
        ])
    }
}
