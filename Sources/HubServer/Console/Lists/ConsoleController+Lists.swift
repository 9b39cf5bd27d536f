import Foundation
import HTTPTypes
import HubModel
import Hummingbird

/// The one way a console list reads its query and answers an export (issue #16 item 3): `listQuery` checks
/// the query against the list's `ListSpec` (a bad size, sort, cursor, filter or date is a 400 page, never
/// a 500); `listExport` writes the current filter's rows — the same query the page runs, from the start,
/// at most `exportCap` rows — as CSV (with BOM) or XLSX through `export`.
extension ConsoleController {
    /// The query of `spec`'s list, or the 400 page refusing it.
    func listQuery(_ request: Request, _ spec: ListSpec, context: ConsoleRequestContext) -> Result<ListQuery, ListRefusal> {
        let pairs = ListQuery.pairs(rawQuery: request.uri.query)
        do throws(ListQueryError) {
            return .success(try ListQuery.parse(pairs, spec: spec))
        } catch {
            return .failure(ListRefusal(response: problem(.badRequest, error.zh, error.en, context: context)))
        }
    }

    /// Runs `body` with the list's query, or answers the 400 page refusing it (the shape of every export).
    func withListQuery(
        _ request: Request,
        _ spec: ListSpec,
        context: ConsoleRequestContext,
        _ body: (ListQuery) async throws -> Response
    ) async throws -> Response {
        switch listQuery(request, spec, context: context) {
        case .success(let query): try await body(query)
        case .failure(let refusal): refusal.response
        }
    }

    /// The export of a list: its header from the spec's columns (or `header`), its rows as text.
    func listExport(
        _ context: ConsoleRequestContext,
        _ spec: ListSpec,
        name: String,
        sheet: String,
        header: [String]? = nil,
        rows: [[String]]
    )
        -> Response
    {
        export(context, name: name, sheet: sheet, header: header ?? spec.columns.map(\.label), rows: Array(rows.prefix(spec.exportCap)))
    }

    /// The first `size` rows of `rows` read with `size + 1` and whether there were more.
    static func page<T>(_ rows: [T], size: Int) -> (rows: [T], more: Bool) {
        (Array(rows.prefix(size)), rows.count > size)
    }
}

/// A refused list query, already rendered as its 400 page.
struct ListRefusal: Error {
    var response: Response
}
