import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The ledger page's entry list: filtered by kind, department, day range and subject prefix, keyset-paged by
/// sequence number, exported as CSV or XLSX. A department-scoped reader sees only its departments' entries.
extension ConsoleController {
    static let ledgerListSpec = ListSpec(
        path: "/console/ledger",
        columns: [
            .init("seq", "序号", sortable: true, numeric: true), .init("recordedAt", "时间"), .init("kind", "类型"),
            .init("department", "部门"), .init("subject", "主题"), .init("hash", "哈希"),
        ],
        filters: [
            .init(name: "kind", label: "类型", kind: .oneOf(LedgerKind.allCases.map(\.rawValue))),
            .init(name: "department", label: "部门", kind: .code(maxLength: 32)),
            .init(name: "from", label: "开始日期", kind: .day), .init(name: "to", label: "结束日期", kind: .day),
        ],
        defaultSort: "seq",
        defaultDescending: true,
        cursorWidth: 1,
        searchHint: "主题前缀（如 console_sign_in、记录编号）"
    )

    func ledgerFilter(_ q: ListQuery, user: OpsUser) -> LedgerListFilter {
        LedgerListFilter(
            scope: user.departmentScope,
            kind: q.filter("kind").flatMap(LedgerKind.init(rawValue:)),
            department: q.filter("department"),
            from: q.filter("from"),
            to: q.filter("to"),
            search: q.search
        )
    }

    /// The list's values (`list`, `entries`, the kind options) for the ledger page.
    func ledgerListValues(_ q: ListQuery, context: ConsoleRequestContext) async throws -> [String: Any] {
        let after = q.after.flatMap { Int64($0[0]) }
        let (rows, more) = Self.page(
            try await ledger.list(ledgerFilter(q, user: context.user), descending: q.descending, after: after, limit: q.size + 1),
            size: q.size
        )
        let list = ListView(spec: Self.ledgerListSpec, query: q).values(shown: rows.count, more: more, nextCursor: rows.last.map { [String($0.seq)] })
        let names = try await departmentNames()
        return [
            "list": list,
            "entries": rows.map { e in
                [
                    "seq": e.seq, "recordedAt": e.recordedAt, "kind": LedgerKind(stored: e.kind)?.consoleLabel ?? e.kind, "kindCode": e.kind,
                    "department": ConsoleLabels.department(e.department, names: names),
                    "subject": ConsoleLabels.ledgerSubject(kind: e.kind, subject: e.subject), "hash": e.entryHash.hex,
                ] as [String: Any]
            },
            "kinds": LedgerKind.allCases.map {
                ["value": $0.rawValue, "label": $0.consoleLabel, "selected": q.filter("kind") == $0.rawValue] as [String: Any]
            },
            "ledgerDepartment": q.filter("department") ?? "", "fromFilter": q.filter("from") ?? "", "toFilter": q.filter("to") ?? "",
        ]
    }

    @Sendable func ledgerExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await withListQuery(request, Self.ledgerListSpec, context: context) { q in
            let rows = try await ledger.list(
                ledgerFilter(q, user: context.user),
                descending: q.descending,
                after: nil,
                limit: Self.ledgerListSpec.exportCap
            )
            return listExport(
                context,
                Self.ledgerListSpec,
                name: "ledger",
                sheet: "统一台账",
                rows: rows.map { e in
                    [
                        String(e.seq), e.recordedAt, LedgerKind(stored: e.kind)?.consoleLabel ?? e.kind, e.department,
                        ConsoleLabels.ledgerSubject(kind: e.kind, subject: e.subject), e.entryHash.hex,
                    ]
                }
            )
        }
    }
}
