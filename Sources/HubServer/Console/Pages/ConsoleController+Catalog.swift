import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The catalog browser: current items with their versions and legal bases, and which local items of which
/// departments map to each.
extension ConsoleController {
    @Sendable func catalogPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let search = q.get("q")?.trimmingCharacters(in: .whitespaces).prefix(50).description ?? ""
        let department = q.get("department").flatMap { $0.isEmpty ? nil : String($0.prefix(20)) }
        let items: [[String: Any]] = try await catalog.browse(search: search, department: department).map { c in
            [
                "code": c.code, "name": c.name, "type": c.itemType, "department": c.department, "retired": c.status == "retired",
                "version": c.version, "mapped": c.mapped,
            ]
        }
        let departments: [[String: Any]] = try await catalog.catalogDepartments().map { ["name": $0, "selected": $0 == department] }
        return page(
            "catalog",
            title: "监管事项目录",
            tab: "catalog",
            [
                "items": items, "count": items.count, "q": search, "departments": departments, "none": items.isEmpty,
            ],
            context: context
        )
    }

    @Sendable func catalogItem(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let code = context.parameters.get("code"), CatalogCode(code) != nil else {
            return problem(.notFound, "目录编码应为 14 位数字", "a catalog code is 14 digits", context: context)
        }
        let versions: [[String: Any]] = try await catalog.versions(code: code).map { v in
            [
                "version": v.version, "name": v.name, "type": v.itemType, "department": v.department, "legalBasis": v.legalBasis,
                "retired": v.status == "retired", "effectiveFrom": v.effectiveFrom, "recordedAt": v.recordedAt,
            ]
        }
        guard let current = versions.first else {
            return problem(.notFound, "目录中没有事项 \(code)", "no catalog item \(code)", context: context)
        }
        let mappings: [[String: Any]] = try await self.mappings.mappings(toCatalogCode: code).map { m in
            [
                "department": m.department, "localCode": m.localCode, "id": m.id, "rule": Self.ruleName(m.rule), "decidedBy": m.decidedBy,
                "relationship": Self.relationships.first { $0.0 == m.relationship }?.1 ?? m.relationship,
                "status": ["confirmed": "已确认", "needs_review": "待复核", "proposed": "待审批"][m.status] ?? m.status,
                "needsReview": m.status == "needs_review",
            ]
        }
        let implementations: [[String: Any]] = try await catalog.implementations(catalogCode: code).map { i in
            ["code": i.code, "agency": i.agencyName, "region": i.regionCode, "retired": i.status == "retired"]
        }
        return page(
            "catalog-item",
            title: "事项 \(code)",
            tab: "catalog",
            [
                "code": code, "current": current, "versions": versions, "mappings": mappings, "noMappings": mappings.isEmpty,
                "implementations": implementations,
            ],
            context: context
        )
    }
}
