import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The catalog browser: current items with their versions and legal bases, and which local items of which
/// departments map to each.
extension ConsoleController {
    @Sendable func catalog(_ request: Request, context: HubRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let search = q.get("q")?.trimmingCharacters(in: .whitespaces).prefix(50).description ?? ""
        let department = q.get("department").flatMap { $0.isEmpty ? nil : String($0.prefix(20)) }
        var items: [[String: Any]] = []
        let rows = try await hub.db.client.query("""
            SELECT c.code, c.name, c.item_type, c.department, c.status, c.version,
                   (SELECT count(*)::int FROM item_mappings m WHERE m.catalog_code = c.code AND m.status IN ('confirmed', 'needs_review'))
            FROM catalog_current c
            WHERE (\(search) = '' OR c.code LIKE \(search) || '%' OR c.name LIKE '%' || \(search) || '%')
              AND (\(department)::text IS NULL OR c.department = \(department)::text)
            ORDER BY c.code LIMIT 300
            """, logger: hub.logger)
        for try await (code, name, type, dept, status, version, mapped) in rows.decode((String, String, String, String, String, Int, Int).self) {
            items.append(["code": code, "name": name, "type": type, "department": dept, "retired": status == "retired",
                          "version": version, "mapped": mapped])
        }
        var departments: [[String: Any]] = []
        for try await d in try await hub.db.client.query("SELECT DISTINCT department FROM catalog_current ORDER BY 1", logger: hub.logger).decode(String.self) {
            departments.append(["name": d, "selected": d == department])
        }
        return renderer.page("catalog", title: "监管事项目录", tab: "catalog", [
            "items": items, "count": items.count, "q": search, "departments": departments, "none": items.isEmpty,
        ], context: context)
    }

    @Sendable func catalogItem(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard let code = context.parameters.get("code"), CatalogCode(code) != nil else {
            return renderer.problem(.notFound, "目录编码应为 14 位数字", "a catalog code is 14 digits", context: context)
        }
        var versions: [[String: Any]] = []
        for try await (version, name, type, dept, basis, status, effective, recorded) in try await hub.db.client.query("""
            SELECT version, name, item_type, department, legal_basis, status,
                   to_char(effective_from AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
                   to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
            FROM catalog_items WHERE code = \(code) ORDER BY version DESC
            """, logger: hub.logger).decode((Int, String, String, String, String, String, String, String).self)
        {
            versions.append(["version": version, "name": name, "type": type, "department": dept, "legalBasis": basis,
                             "retired": status == "retired", "effectiveFrom": effective, "recordedAt": recorded])
        }
        guard let current = versions.first else {
            return renderer.problem(.notFound, "目录中没有事项 \(code)", "no catalog item \(code)", context: context)
        }
        var mappings: [[String: Any]] = []
        for try await (dept, local, relationship, status, rule, by, id) in try await hub.db.client.query("""
            SELECT d.code, m.local_code, m.relationship, m.status, m.rule, m.decided_by, m.id
            FROM item_mappings m JOIN departments d ON d.id = m.department_id
            WHERE m.catalog_code = \(code) AND m.status IN ('confirmed', 'needs_review', 'proposed')
            ORDER BY d.code, m.local_code
            """, logger: hub.logger).decode((String, String, String, String, String, String, Int64).self)
        {
            mappings.append(["department": dept, "localCode": local, "id": id, "rule": Self.ruleName(rule), "decidedBy": by,
                             "relationship": Self.relationships.first { $0.0 == relationship }?.1 ?? relationship,
                             "status": ["confirmed": "已确认", "needs_review": "待复核", "proposed": "待审批"][status] ?? status,
                             "needsReview": status == "needs_review"])
        }
        var implementations: [[String: Any]] = []
        for try await (impl, agency, region, status) in try await hub.db.client.query("""
            SELECT code, agency_name, region_code, status FROM implementation_current WHERE catalog_code = \(code) ORDER BY code LIMIT 100
            """, logger: hub.logger).decode((String, String, String, String).self)
        {
            implementations.append(["code": impl, "agency": agency, "region": region, "retired": status == "retired"])
        }
        return renderer.page("catalog-item", title: "事项 \(code)", tab: "catalog", [
            "code": code, "current": current, "versions": versions, "mappings": mappings, "noMappings": mappings.isEmpty,
            "implementations": implementations,
        ], context: context)
    }
}
