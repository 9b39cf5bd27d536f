import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The catalog browser: current items with their versions and legal bases, and which local items of which
/// departments map to each.
extension ConsoleController {
    static let catalogListSpec = ListSpec(
        path: "/console/catalog",
        columns: [
            .init("code", "目录编码", sortable: true), .init("name", "名称", sortable: true), .init("type", "类型", sortable: true),
            .init("department", "部门", sortable: true), .init("level", "层级"), .init("version", "版本", sortable: true, numeric: true),
            .init("mapped", "本地映射", sortable: true, numeric: true), .init("status", "状态"),
        ],
        filters: [
            .init(name: "type", label: "类型", kind: .oneOf(["行政检查", "行政处罚", "行政强制", "其他"])),
            .init(name: "status", label: "状态", kind: .oneOf(["active", "retired"])),
            .init(name: "level", label: "层级", kind: .oneOf(["main", "sub"])),
            .init(name: "department", label: "部门", kind: .text(maxLength: 40)),
        ],
        defaultSort: "code",
        defaultDescending: false,
        cursorWidth: 0,
        searchHint: "编码前缀或名称"
    )

    static func catalogFilter(_ q: ListQuery) -> CatalogListFilter {
        CatalogListFilter(
            itemType: q.filter("type"),
            status: q.filter("status"),
            department: q.filter("department"),
            mainItems: q.filter("level").map { $0 == "main" },
            search: q.search
        )
    }

    @Sendable func catalogPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let q: ListQuery
        switch listQuery(request, Self.catalogListSpec, context: context) {
        case .success(let query): q = query
        case .failure(let refusal): return refusal.response
        }
        let filter = Self.catalogFilter(q)
        let sort = CatalogListSort(rawValue: q.sort) ?? .code
        async let rowsTask = catalog.list(filter, sort: sort, descending: q.descending, offset: q.offset, limit: q.size + 1)
        async let totalTask = catalog.count(filter)
        async let departmentsTask = catalog.catalogDepartments()
        let (read, total, departmentNames) = try await (rowsTask, totalTask, departmentsTask)
        let (rows, more) = Self.page(read, size: q.size)
        let items: [[String: Any]] = rows.map { r in
            let c = r.item
            return [
                "code": c.code, "name": c.name, "type": c.itemType, "department": c.department, "retired": c.status == "retired",
                "version": c.version, "mapped": c.mapped, "parent": r.parentCode ?? "", "isSub": r.parentCode != nil,
            ]
        }
        let department = q.filter("department")
        func options(_ pairs: [(String, String)], _ name: String) -> [[String: Any]] {
            pairs.map { ["value": $0.0, "label": $0.1, "selected": q.filter(name) == $0.0] }
        }
        return page(
            "catalog",
            title: "监管事项目录",
            tab: "catalog",
            [
                "items": items, "none": items.isEmpty,
                "departments": departmentNames.map { ["name": $0, "selected": $0 == department] as [String: Any] },
                "types": options(["行政检查", "行政处罚", "行政强制", "其他"].map { ($0, $0) }, "type"),
                "statuses": options([("active", "在用"), ("retired", "已停用")], "status"),
                "levels": options([("main", "主项"), ("sub", "子项")], "level"),
                "list": ListView(spec: Self.catalogListSpec, query: q).values(shown: items.count, more: more, total: total),
            ],
            context: context
        )
    }

    @Sendable func catalogExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await withListQuery(request, Self.catalogListSpec, context: context) { q in
            let rows = try await catalog.list(
                Self.catalogFilter(q),
                sort: CatalogListSort(rawValue: q.sort) ?? .code,
                descending: q.descending,
                offset: 0,
                limit: Self.catalogListSpec.exportCap
            )
            return listExport(
                context,
                Self.catalogListSpec,
                name: "catalog",
                sheet: "监管事项目录",
                rows: rows.map { r in
                    let c = r.item
                    return [
                        c.code, c.name, c.itemType, c.department, r.parentCode.map { "子项（主项 \($0)）" } ?? "主项", String(c.version),
                        String(c.mapped), c.status == "retired" ? "已停用" : "在用",
                    ]
                }
            )
        }
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
