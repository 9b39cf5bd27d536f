import Foundation
import HubModel
import HubStore
import Hummingbird
import Supervision

/// The department API of the 一单两库: `POST /api/v1/random-checks/{items|subjects|inspectors|conflicts}` (batches,
/// per-row answers), `GET /api/v1/random-checks/subjects/{id}` (the city's subject library, any department) and
/// `GET /api/v1/random-checks/inspectors` (the caller's own inspectors only).
struct LibraryController {
    let service: LibraryService

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.post("random-checks/items") { request, context in try await push(.items, request, context) }
        group.post("random-checks/subjects") { request, context in try await push(.subjects, request, context) }
        group.post("random-checks/inspectors") { request, context in try await push(.inspectors, request, context) }
        group.post("random-checks/conflicts") { request, context in try await push(.conflicts, request, context) }
        group.get("random-checks/subjects/{id}", use: subject)
        group.get("random-checks/inspectors", use: inspectors)
    }

    func push(_ kind: LibraryKind, _ request: Request, _ context: DepartmentRequestContext) async throws -> Response {
        let department = context.department.code
        let results = try await service.push(body: context.body, contentType: request.headers[.contentType], kind: kind, department: department)
        let summary: [(String, JSONValue)] = LibraryResult.Status.allCases.map { status in
            (status.rawValue, .number(String(results.count { $0.status == status })))
        }
        return Answer.make(
            .object([
                ("department", .string(department)), ("library", .string(kind.rawValue)), ("summary", .object(summary)),
                ("results", .array(results.map(\.json))),
            ]),
            for: request
        )
    }

    @Sendable func subject(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let id = (context.parameters.get("id") ?? "").removingPercentEncoding ?? ""
        guard let stored = try await service.store.subject(id: id) else {
            throw HubHTTPError(.notFound, code: "subject_not_found", zh: "检查对象名录库中没有该对象", en: "the subject library holds no such subject", path: "id")
        }
        return Answer.make(Self.masked(Self.json(stored)), for: request)
    }

    /// A natural person's ID number masked, as in record answers (a department key has no `pii` permission; the
    /// caller named the number in the path, but the answer must not become a way to collect them).
    static func masked(_ subject: JSONValue) -> JSONValue {
        guard case .object(let members) = subject, let type = subject["idType"]?.stringValue, PersonalData.personalIdTypes.contains(type) else {
            return subject
        }
        return .object(
            members.map { name, value in name == "id" ? (name, .string(PersonalData.maskIDNumber(value.stringValue ?? ""))) : (name, value) }
        )
    }

    @Sendable func inspectors(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let query = StrictQuery(request)
        let limit = try query.integer("limit", in: 1...1000, default: 500)
        let after = request.uri.queryParameters.get("after")
        let rows = try await service.store.inspectors(department: context.department.code, after: after, limit: Int(limit))
        var members: [(String, JSONValue)] = [("department", .string(context.department.code)), ("inspectors", .array(rows.map(Self.json)))]
        if rows.count == Int(limit), let last = rows.last { members.append(("next", .string(last.row.key))) }
        return Answer.make(.object(members), for: request)
    }

    /// A stored row with the ledger entry that last wrote it.
    static func json(_ stored: StoredLibraryRow) -> JSONValue {
        guard case .object(var members) = stored.row.json else { return stored.row.json }
        members.append(("ledgerSeq", .number(String(stored.ledgerSeq))))
        if let source = stored.sourceDepartment { members.append(("sourceDepartment", .string(source))) }
        return .object(members)
    }
}
