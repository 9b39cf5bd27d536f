import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The records list under the lookups of `/console/records`: every received version, filtered by
/// department, status, catalog code and day, searched by localId prefix, party USCC / ID number or party
/// name, sorted and paged by keyset; exported as CSV or XLSX. Scoped to the reader's departments; a
/// natural person's ID number masked without `pii`; a search by a party's number is a `party_lookup`
/// ledger entry, as the exact lookup is.
extension ConsoleController {
    static let recordListSpec = ListSpec(
        path: "/console/records",
        columns: [
            .init("received", "收到时间", sortable: true), .init("department", "部门", sortable: true),
            .init("localId", "本地编号", sortable: true), .init("version", "版本", numeric: true), .init("status", "状态", sortable: true),
            .init("item", "目录编码", sortable: true), .init("party", "当事人"), .init("partyId", "当事人证件号"),
        ],
        filters: [
            .init(name: "department", label: "部门", kind: .code(maxLength: 32)),
            .init(name: "status", label: "状态", kind: .oneOf(["accepted", "held", "rejected"])),
            .init(name: "item", label: "目录编码", kind: .digits(maxLength: 14)),
            .init(name: "review", label: "审核编号", kind: .digits(maxLength: 18)),
            .init(name: "from", label: "开始日期", kind: .day), .init(name: "to", label: "结束日期", kind: .day),
        ],
        defaultSort: "received",
        defaultDescending: true,
        cursorWidth: 4,
        searchHint: "本地编号前缀、统一社会信用代码/证件号，或当事人等名称"
    )

    func recordFilter(_ q: ListQuery, user: OpsUser) -> RecordListFilter {
        RecordListFilter(
            scope: user.departmentScope,
            department: q.filter("department"),
            status: q.filter("status"),
            itemPrefix: q.filter("item"),
            from: q.filter("from"),
            to: q.filter("to"),
            search: q.search,
            review: q.filter("review")
        )
    }

    /// The most rows the records list counts (beyond it the page says "超过 10,000 条").
    static let countCap = 10_000

    /// A search text that is a party's identifier (a USCC or an ID number): looking it up is a ledger entry.
    static func isPartyNumber(_ text: String) -> Bool {
        if case .partyNumber = RecordSearch(text) { true } else { false }
    }

    /// The list's values for the records page (`list`, `records`), or nil-free refusal handled by the caller.
    func recordListValues(_ q: ListQuery, context: ConsoleRequestContext) async throws -> [String: Any] {
        let user = context.user
        let filter = recordFilter(q, user: user)
        let sort = RecordListSort(rawValue: q.sort) ?? .received
        let (rows, more) = Self.page(
            try await records.listRecords(filter, sort: sort, descending: q.descending, after: q.after, limit: q.size + 1),
            size: q.size
        )
        // Counting every row a search by name matches reads each record's body: only filters are counted, up to a cap.
        let total = q.search.isEmpty ? try await records.countRecords(filter, cap: Self.countCap) : nil
        if Self.isPartyNumber(q.search) {
            try await users.recordPartyLookup(q.search.uppercased(), by: user, channel: "console", found: rows.count)
        }
        var values = ListView(spec: Self.recordListSpec, query: q).values(
            shown: rows.count,
            more: more,
            nextCursor: rows.last?.cursor,
            total: total.map { min($0, Self.countCap) },
            totalIsLowerBound: (total ?? 0) > Self.countCap
        )
        // A natural person's number typed by a reader without `pii` is not echoed back (the page could be shared).
        if Self.isPartyNumber(q.search), !user.seesPersonalData, (try? USCC(q.search.uppercased())) == nil { values["q"] = "" }
        let names = try await departmentNames()
        return [
            "list": values,
            "records": rows.map { r in
                [
                    "department": ConsoleLabels.department(r.department, names: names), "localId": r.localId, "version": r.version,
                    "status": Self.statusName(r.status),
                    "statusClass": r.status, "receivedAt": r.receivedAt, "catalogCode": r.catalogCode ?? "—", "party": r.partyName ?? "—",
                    "partyId": Self.shownPartyId(r, user: user),
                    "link": "/console/records?department=\(ListQuery.encode(r.department))&localId=\(ListQuery.encode(r.localId))",
                ] as [String: Any]
            },
            "statuses": ["accepted", "held", "rejected"].map { s in
                ["value": s, "label": Self.statusName(s), "selected": q.filter("status") == s] as [String: Any]
            },
            "itemFilter": q.filter("item") ?? "", "fromFilter": q.filter("from") ?? "", "toFilter": q.filter("to") ?? "",
        ]
    }

    static func shownPartyId(_ r: RecordListing, user: OpsUser) -> String {
        guard let id = r.partyIdNumber, !id.isEmpty else { return "—" }
        return r.partyIsNaturalPerson && !user.seesPersonalData ? PersonalData.maskIDNumber(id) : id
    }

    /// `/console/records/export.csv|xlsx`: the current filter's rows, masked and scoped as the page is.
    @Sendable func recordsExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await withListQuery(request, Self.recordListSpec, context: context) { q in
            let user = context.user
            let filter = recordFilter(q, user: user)
            let rows = try await records.listRecords(
                filter,
                sort: RecordListSort(rawValue: q.sort) ?? .received,
                descending: q.descending,
                after: nil,
                limit: Self.recordListSpec.exportCap
            )
            if Self.isPartyNumber(q.search) {
                try await users.recordPartyLookup(q.search.uppercased(), by: user, channel: "console_export", found: rows.count)
            }
            return listExport(
                context,
                Self.recordListSpec,
                name: "records",
                sheet: "记录",
                rows: rows.map { r in
                    [
                        r.receivedAt, r.department, r.localId, String(r.version), Self.statusName(r.status), r.catalogCode ?? "",
                        r.partyName ?? "", Self.shownPartyId(r, user: user),
                    ]
                }
            )
        }
    }
}
