import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Ingest

/// 报送日志: every batch a department pushed or the hub pulled, newest first, filtered and paged by keyset; one
/// batch with the hub's answer per record; the filtered list as CSV or XLSX. A scoped account sees its
/// departments' batches only.
extension ConsoleController {
    /// Batches per page.
    static let messagePageSize = 50
    /// The most batches one export holds (the newest of the filter); the page says so.
    static let messageExportCap = 10_000

    var messageLog: MessageLogStore { MessageLogStore(db: records.db) }

    /// The list's query string (`ListSpec`, the console's one list mechanism): the filters, `q` for a batch id or
    /// its beginning, the page size, and the keyset cursor (`after=`, the last batch's id). Newest first only:
    /// the keyset follows `(received_at, id)`, so no column re-sorts.
    static let messageList = ListSpec(
        path: "/console/messages",
        columns: [
            .init("received", "接收时间"), .init("department", "部门"), .init("direction", "方向"), .init("kind", "类型"),
            .init("system", "系统"), .init("format", "格式"), .init("bytes", "字节", numeric: true), .init("batchId", "批次号"),
            .init("status", "状态"), .init("records", "记录", numeric: true), .init("accepted", "入账", numeric: true),
            .init("held", "待审核", numeric: true), .init("duplicate", "重复", numeric: true), .init("rejected", "拒收", numeric: true),
            .init("errors", "错误代码"),
        ],
        filters: [
            .init(name: "department", label: "部门", kind: .code(maxLength: 32)),
            .init(name: "status", label: "状态", kind: .oneOf(MessageLogFilter.Status.allCases.map(\.rawValue))),
            .init(name: "error", label: "错误代码", kind: .code(maxLength: 64)),
            .init(name: "item", label: "事项编码", kind: .code(maxLength: 64)),
            .init(name: "from", label: "开始日期", kind: .day), .init(name: "to", label: "结束日期", kind: .day),
            .init(name: "direction", label: "方向", kind: .oneOf(MessageDirection.allCases.map(\.rawValue))),
        ],
        defaultSort: "received",
        defaultDescending: true,
        cursorWidth: 1,
        searchHint: "批次号或其开头",
        exportCap: messageExportCap
    )

    /// The store's filter of a checked list query, and the cursor's batch id.
    static func messageFilter(_ q: ListQuery, scope: [String]?) -> (MessageLogFilter, after: Int64?) {
        let from = q.filter("from").flatMap { CalendarDate($0) }
        let to = q.filter("to").flatMap { CalendarDate($0) }
        let filter = MessageLogFilter(
            department: q.filter("department"),
            status: q.filter("status").flatMap(MessageLogFilter.Status.init(rawValue:)),
            errorCode: q.filter("error"),
            itemCode: q.filter("item"),
            from: from.map(MessageLogQuery.start),
            until: to.map { MessageLogQuery.start($0.adding(days: 1)) },
            batchId: q.search.isEmpty ? nil : q.search,
            direction: q.filter("direction").flatMap(MessageDirection.init(rawValue:)),
            scope: scope
        )
        return (filter, q.after?.first.flatMap { Int64($0) })
    }

    @Sendable func messagesPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await withListQuery(request, Self.messageList, context: context) { query in
            let user = context.user
            let (filter, after) = Self.messageFilter(query, scope: user.departmentScope)
            let page = try await messageLog.list(filter, after: after, limit: query.size)
            let departments = try await self.departments.all().filter { user.sees(department: $0.code) }.map { d in
                ["code": d.code, "name": d.name, "selected": d.code == filter.department]
            }
            // The planner's estimate (0 before the table was first analyzed): never a count over the whole log.
            let estimate = try await messageLog.estimatedTotal()
            var list = ListView(spec: Self.messageList, query: query)
                .values(shown: page.batches.count, more: page.next != nil, nextCursor: page.next.map { [String($0)] })
            if estimate > 0, let summary = list["summaryText"] as? String { list["summaryText"] = "日志共约 \(estimate) 批（估计值）· " + summary }
            let values: [String: Any] = [
                "batches": page.batches.map(Self.messageRow), "empty": page.batches.isEmpty, "departments": departments, "list": list,
                "statuses": MessageLogFilter.Status.allCases.map {
                    ["value": $0.rawValue, "label": $0.consoleLabel, "selected": $0 == filter.status]
                },
                "error": filter.errorCode ?? "", "item": filter.itemCode ?? "", "from": query.filter("from") ?? "", "to": query.filter("to") ?? "",
            ]
            return self.page("messages", title: "报送日志", tab: "messages", values, context: context)
        }
    }

    @Sendable func messageBatch(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let id = Self.id(context), let batch = try await messageLog.batch(id, scope: context.user.departmentScope) else {
            return problem(.notFound, "没有该报送批次", "no such batch", context: context)
        }
        var values = Self.messageRow(batch)
        values["answers"] = batch.answers.map { a -> [String: Any] in
            [
                "index": a.index + 1, "localId": a.localId ?? "—", "status": a.status.consoleLabel, "statusClass": a.status.rawValue,
                "version": a.version.map(String.init) ?? "", "itemCode": a.itemCode ?? "", "catalogCode": a.catalogCode ?? "",
                "reviewId": a.reviewId.map(String.init) ?? "", "hasReview": a.reviewId != nil,
                // A record page exists only where a version was stored (accepted, held, duplicate of one).
                "link": a.version == nil ? "" : "/console/records?department=\(batch.department)&localId=" + MessageLogQuery.encoded(a.localId ?? ""),
                "hasLink": a.version != nil && a.localId != nil,
                "errors": a.errors.map { ["code": $0.code, "path": $0.path, "zh": $0.messageZh, "en": $0.messageEn] },
            ]
        }
        values["hasAnswers"] = !batch.answers.isEmpty
        values["batchErrors"] = batch.batchErrors.map { ["code": $0.code, "path": $0.path, "zh": $0.messageZh, "en": $0.messageEn] }
        values["hasBatchErrors"] = !batch.batchErrors.isEmpty
        values["pruned"] = batch.prunedAt != nil
        values["contentType"] = batch.contentType ?? "—"
        values["itemCodes"] = batch.itemCodes.joined(separator: "、")
        return page("message", title: "报送批次 #\(batch.id)", tab: "messages", values, context: context)
    }

    /// `messages/export.csv|xlsx` with the list's filters: the newest `messageExportCap` batches of the filter.
    @Sendable func messagesExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await withListQuery(request, Self.messageList, context: context) { query in
            let (filter, _) = Self.messageFilter(query, scope: context.user.departmentScope)
            let batches = try await messageLog.list(filter, limit: Self.messageExportCap).batches
            let header = [
                "编号", "接收时间", "方向", "部门编码", "部门", "系统", "类型", "格式", "字节数", "批次号", "状态", "记录数", "入账", "待审核", "重复", "拒收",
                "错误代码", "事项编码",
            ]
            let rows = batches.map { b in
                [
                    String(b.id), ConsoleTime.minutes(b.receivedAt), b.direction.consoleLabel, b.department, b.departmentName, b.system ?? "",
                    MessageKind.label(b.kind), b.format, String(b.bodyBytes), b.batchId ?? "", b.status.consoleLabel, String(b.recordCount),
                    String(b.accepted), String(b.held), String(b.duplicate), String(b.rejected), b.errorCodes.joined(separator: " "),
                    b.itemCodes.joined(separator: " "),
                ]
            }
            return listExport(context, Self.messageList, name: "message-log", sheet: "报送日志", header: header, rows: rows)
        }
    }

    static func parameters(_ request: Request) -> [String: String] {
        var q: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { q[String(k)] = String(v) }
        return q
    }

    /// One batch as the list and the detail show it.
    static func messageRow(_ b: MessageLogStore.Batch) -> [String: Any] {
        [
            "id": b.id, "receivedAt": ConsoleTime.minutes(b.receivedAt), "direction": b.direction.consoleLabel,
            "department": ConsoleLabels.department(b.department, names: [b.department: b.departmentName]), "departmentCode": b.department,
            "system": b.system ?? "—", "kind": MessageKind.label(b.kind), "format": b.format, "bytes": b.bodyBytes,
            "batchId": b.batchId ?? "—", "status": b.status.consoleLabel, "statusClass": b.status == .refused ? "rejected" : b.status.rawValue,
            "records": b.recordCount, "accepted": b.accepted, "held": b.held, "duplicate": b.duplicate, "rejected": b.rejected,
            "errorCode": b.errorCode ?? "", "errorCodes": b.errorCodes.joined(separator: " "),
        ]
    }
}
