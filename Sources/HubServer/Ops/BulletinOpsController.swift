import Foundation
import HubModel
import HubStore
import Hummingbird
import Ingest
import NIOCore
import Supervision

/// The ops API of 监管动态 and 曝光台 (`/api/v1/ops/bulletins…`), behind the ops sign-in:
///
/// - `GET  bulletins?kind=&status=` — newest first
/// - `POST bulletins` `{"kind","department","title","body","recordLocalId"}` — propose (reviewer role); an exposure
///   names the department's accepted penalty record
/// - `POST bulletins/{id}/approve` — a second person (approver, not the proposer) publishes it
/// - `POST bulletins/{id}/withdraw` `{"reason"}` — takes a published bulletin down (approver role)
///
/// A user scoped to departments acts only for those departments (others answer 404, as for reviews).
struct BulletinOpsController {
    let store: BulletinStore

    func addRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.get("bulletins", use: list)
        group.post("bulletins", use: propose)
        group.post("bulletins/{id}/approve", use: approve)
        group.post("bulletins/{id}/withdraw", use: withdraw)
    }

    @Sendable func list(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let kind = try Self.value(query.get("kind"), BulletinKind.self, path: "kind")
        let status = try Self.value(query.get("status"), BulletinStatus.self, path: "status")
        let bulletins = try await store.list(kind: kind, status: status, departments: context.user.departmentScope)
        return Answer.make(.object([("bulletins", .array(bulletins.map { Self.json($0) }))]), for: request)
    }

    @Sendable func propose(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.decide, context.user)
        let body = try await StrictBody.read(
            request,
            members: ["kind": .string, "department": .string, "title": .string, "body": .string, "recordLocalId": .string]
        )
        let read = BulletinDraft.read(body)
        guard let draft = read.draft else { throw HubHTTPError(.badRequest, read.errors) }
        guard context.user.sees(department: draft.department) else {
            throw HubHTTPError(
                .forbidden,
                code: "department_out_of_scope",
                zh: "您的账号不能代表该部门发布",
                en: "your account does not act for this department",
                path: "department"
            )
        }
        let bulletin = try await store.propose(draft, by: context.user.username)
        return Answer.make(Self.json(bulletin), status: .created, for: request)
    }

    @Sendable func approve(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.approve, context.user)
        let id = try await visibleId(context)
        return Answer.make(Self.json(try await store.approve(id, by: context.user.username)), for: request)
    }

    @Sendable func withdraw(_ request: Request, context: OpsRequestContext) async throws -> Response {
        try ReviewPolicy.authorize(.approve, context.user)
        let id = try await visibleId(context)
        let body = try await StrictBody.read(request, members: ["reason": .string])
        let reason = body["reason"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else { throw HubHTTPError(.badRequest, [.required("reason")]) }
        guard reason.count <= 500 else { throw HubHTTPError(.badRequest, [.tooLong("reason", max: 500)]) }
        return Answer.make(Self.json(try await store.withdraw(id, reason: reason, by: context.user.username)), for: request)
    }

    /// The path id of a bulletin the user may act on; another department's bulletin is as unknown as a missing one.
    func visibleId(_ context: OpsRequestContext) async throws -> Int64 {
        let id = try OpsController.id(context)
        guard let bulletin = try await store.bulletin(id), context.user.sees(department: bulletin.department) else {
            throw HubHTTPError(.notFound, code: "no_such_bulletin", zh: "没有这条内容", en: "no such bulletin", path: "id")
        }
        return id
    }

    /// A query value that must be one of an enum's raw values, or absent.
    static func value<E: RawRepresentable & CaseIterable>(_ text: String?, _ type: E.Type, path: String) throws -> E? where E.RawValue == String {
        guard let text else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw HubHTTPError(.badRequest, code: "invalid_value", zh: "\(path) 应为 \(allowed) 之一", en: "\(path) is one of \(allowed)", path: path)
        }
        return value
    }

    /// A bulletin as ops see it (with who proposed, approved and withdrew it).
    static func json(_ b: BulletinStore.Bulletin) -> JSONValue {
        guard case .object(var members) = BulletinPublicController.json(b) else { return .null }
        members += [
            ("status", .string(b.status.rawValue)), ("proposedBy", .string(b.proposedBy)), ("proposedAt", .string(b.proposedAt)),
            ("approvedBy", .text(b.approvedBy)), ("withdrawnBy", .text(b.withdrawnBy)), ("withdrawnAt", .text(b.withdrawnAt)),
            ("withdrawalReason", .text(b.withdrawalReason)),
        ]
        return .object(members)
    }
}
