import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Supervision

/// The city list and the county lists (市、县两级监管事项目录清单), derived from published claims: a page with the
/// level and region chosen, and the same table as CSV (with a byte-order mark, for Excel) or XLSX.
extension ConsoleController {
    @Sendable func listsPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let (level, region) = Self.listSelection(request)
        let rows = CatalogList.rows(try await claims.publishedList(level: level, region: region))
        let regions = try await claims.listRegions(level: level)
        let query = "level=\(level.rawValue)" + (region.map { "&region=" + $0 } ?? "")
        let values: [String: Any] = [
            "listTitle": CatalogList.title(level: level, region: region), "header": CatalogList.header,
            "rows": rows.map { ["cells": ConsoleRenderer.labelled($0, CatalogList.header)] },
            "count": rows.count, "none": rows.isEmpty, "query": query,
            "levels": ClaimLevel.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == level] },
            "regions": regions.map { ["code": $0, "name": HengyangRegions.name($0), "selected": $0 == region] },
        ]
        return page("catalog-lists", title: "监管事项目录清单", tab: "catalog", values, context: context)
    }

    /// `export.csv` / `export.xlsx` `?level=3|4&region=` — the list as a file.
    @Sendable func listsExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let (level, region) = Self.listSelection(request)
        let rows = CatalogList.rows(try await claims.publishedList(level: level, region: region))
        return export(
            context,
            name: CatalogList.fileName(level: level, region: region),
            sheet: String(CatalogList.title(level: level, region: region).prefix(31)),
            header: CatalogList.header,
            rows: rows
        )
    }

    /// The level (default city) and the region (six digits, else all regions of the level) of the query.
    static func listSelection(_ request: Request) -> (ClaimLevel, String?) {
        let q = request.uri.queryParameters
        let level = q.get("level").flatMap(Int.init).flatMap(ClaimLevel.init(rawValue:)) ?? .city
        let region = q.get("region").flatMap { (text: String) -> String? in ClaimLevel.of(region: text) == level ? text : nil }
        return (level, region)
    }
}
