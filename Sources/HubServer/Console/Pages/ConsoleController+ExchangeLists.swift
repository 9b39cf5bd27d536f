import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The exchange page's two lists: reconciliation of a chosen day (`?day=YYYY-MM-DD`, today by default; a
/// row per department) and the dead letters (parameters prefixed `dead_`), each sortable and exportable,
/// both limited to the reader's departments. Small lists: read whole, sorted and paged in memory.
extension ConsoleController {
    static let reconciliationListSpec = ListSpec(
        path: "/console/exchange",
        columns: [
            .init("department", "部门", sortable: true), .init("received", "收到", sortable: true, numeric: true),
            .init("accepted", "入账", sortable: true, numeric: true), .init("rejected", "拒收", sortable: true, numeric: true),
            .init("held", "待审核", sortable: true, numeric: true), .init("delivered", "省平台接收", sortable: true, numeric: true),
            .init("provinceRejected", "省平台拒收", sortable: true, numeric: true), .init("pending", "待上报", sortable: true, numeric: true),
            .init("dead", "投递失败", sortable: true, numeric: true),
        ],
        filters: [.init(name: "day", label: "日期", kind: .day)],
        defaultSort: "department",
        defaultDescending: false,
        cursorWidth: 0,
        searchHint: "部门代码",
        sizes: [20, 50, 100, 200],
        defaultSize: 200,
        exportBase: "/console/exchange/reconciliation"
    )

    static let deadLetterListSpec = ListSpec(
        path: "/console/exchange",
        columns: [
            .init("id", "编号", sortable: true, numeric: true), .init("department", "部门", sortable: true),
            .init("localId", "记录", sortable: true), .init("version", "版本", numeric: true),
            .init("attempts", "尝试", sortable: true, numeric: true), .init("lastError", "最后错误"),
            .init("queuedAt", "入队时间", sortable: true), .init("action", ""),
        ],
        filters: [.init(name: "department", label: "部门", kind: .code(maxLength: 32))],
        defaultSort: "id",
        defaultDescending: false,
        cursorWidth: 0,
        searchHint: "记录编号前缀或错误内容",
        prefix: "dead_",
        exportBase: "/console/exchange/dead-letters"
    )

    static let reconciliationKeys: [String: ListSortKey<Reconciliation.Today>] = [
        "department": .text(\.department), "received": .number(\.received), "accepted": .number(\.accepted),
        "rejected": .number(\.rejected), "held": .number(\.heldNow), "delivered": .number(\.delivered),
        "provinceRejected": .number(\.provinceRejected), "pending": .number(\.pending), "dead": .number(\.dead),
    ]

    static let deadLetterKeys: [String: ListSortKey<OutboxStore.DeadLetter>] = [
        "id": .number { Int($0.id) }, "department": .text(\.department), "localId": .text(\.localId),
        "attempts": .number(\.attempts), "queuedAt": .text(\.queuedAt),
    ]

    /// The day's reconciliation rows the reader may see, searched and sorted.
    func reconciliationRows(_ q: ListQuery, day: String, user: OpsUser) async throws -> [Reconciliation.Today] {
        let rows = try await reconciliation.today(day: day).filter {
            user.sees(department: $0.department) && (q.search.isEmpty || $0.department.hasPrefix(q.search.uppercased()))
        }
        return q.sorted(rows, keys: Self.reconciliationKeys)
    }

    /// The dead letters the reader may see, filtered, searched and sorted.
    func deadLetterRows(_ q: ListQuery, user: OpsUser) async throws -> [OutboxStore.DeadLetter] {
        let rows = try await outbox.deadLetters(limit: Self.deadLetterListSpec.exportCap).filter { d in
            user.sees(department: d.department) && (q.filter("department").map { $0 == d.department } ?? true)
                && (q.search.isEmpty || d.localId.hasPrefix(q.search) || (d.lastError ?? "").contains(q.search))
        }
        return q.sorted(rows, keys: Self.deadLetterKeys)
    }

    static func reconciliationRow(_ r: Reconciliation.Today) -> [String] {
        [r.department] + [r.received, r.accepted, r.rejected, r.heldNow, r.delivered, r.provinceRejected, r.pending, r.dead].map(String.init)
    }

    static func deadLetterRow(_ d: OutboxStore.DeadLetter) -> [String] {
        [String(d.id), d.department, d.localId, String(d.version), String(d.attempts), PersonalData.maskText(d.lastError ?? ""), d.queuedAt]
    }

    @Sendable func reconciliationExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await withListQuery(request, Self.reconciliationListSpec, context: context) { q in
            let day = q.filter("day") ?? SyncOpsController.today()
            let rows = try await reconciliationRows(q, day: day, user: context.user)
            return listExport(
                context,
                Self.reconciliationListSpec,
                name: "reconciliation-\(day)",
                sheet: "对账 \(day)",
                rows: rows.map(Self.reconciliationRow)
            )
        }
    }

    @Sendable func deadLettersExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await withListQuery(request, Self.deadLetterListSpec, context: context) { q in
            let rows = try await deadLetterRows(q, user: context.user)
            return listExport(
                context,
                Self.deadLetterListSpec,
                name: "dead-letters",
                sheet: "投递失败",
                header: Array(Self.deadLetterListSpec.columns.map(\.label).dropLast()),
                rows: rows.map(Self.deadLetterRow)
            )
        }
    }
}
