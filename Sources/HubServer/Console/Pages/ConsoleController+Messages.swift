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

    @Sendable func messagesPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let user = context.user
        let query = MessageLogQuery(Self.parameters(request), scope: user.departmentScope)
        let page = try await messageLog.list(query.filter, after: query.after, limit: Self.messagePageSize)
        let departments = try await self.departments.all().filter { user.sees(department: $0.code) }.map { d in
            ["code": d.code, "name": d.name, "selected": d.code == query.filter.department]
        }
        let filterQuery = query.queryString
        let values: [String: Any] = [
            "batches": page.batches.map(Self.messageRow), "empty": page.batches.isEmpty, "shown": page.batches.count,
            "estimate": try await messageLog.estimatedTotal(), "departments": departments,
            "statuses": MessageLogFilter.Status.allCases.map {
                ["value": $0.rawValue, "label": Self.label($0), "selected": $0 == query.filter.status]
            },
            "error": query.filter.errorCode ?? "", "item": query.filter.itemCode ?? "", "from": query.fromDay ?? "", "to": query.toDay ?? "",
            "batch": query.filter.batchId ?? "", "query": filterQuery, "paged": query.after != nil,
            "next": page.next.map { "/console/messages?" + (filterQuery.isEmpty ? "" : filterQuery + "&") + "after=\($0)" } ?? "",
            "exportCap": Self.messageExportCap,
        ]
        return self.page("messages", title: "报送日志", tab: "messages", values, context: context)
    }

    @Sendable func messageBatch(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let id = Self.id(context), let batch = try await messageLog.batch(id, scope: context.user.departmentScope) else {
            return problem(.notFound, "没有该报送批次", "no such batch", context: context)
        }
        var values = Self.messageRow(batch)
        values["answers"] = batch.answers.map { a -> [String: Any] in
            [
                "index": a.index + 1, "localId": a.localId ?? "—", "status": Self.label(a.status), "statusClass": a.status.rawValue,
                "version": a.version.map(String.init) ?? "", "itemCode": a.itemCode ?? "", "catalogCode": a.catalogCode ?? "",
                "reviewId": a.reviewId.map(String.init) ?? "", "hasReview": a.reviewId != nil,
                "link": a.localId.flatMap { l in
                    a.version == nil
                        ? nil
                        : "/console/records?department=\(batch.department)&localId="
                            + MessageLogQuery.encoded(l)
                } ?? "",
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
        let query = MessageLogQuery(Self.parameters(request), scope: context.user.departmentScope)
        let batches = try await messageLog.list(query.filter, limit: Self.messageExportCap).batches
        let header = [
            "编号", "接收时间", "方向", "部门编码", "部门", "系统", "类型", "格式", "字节数", "批次号", "状态", "记录数", "入账", "待审核", "重复", "拒收",
            "错误代码", "事项编码",
        ]
        let rows = batches.map { b in
            [
                String(b.id), ConsoleTime.minutes(b.receivedAt), Self.label(b.direction), b.department, b.departmentName, b.system ?? "",
                b.kind, b.format, String(b.bodyBytes), b.batchId ?? "", Self.label(b.status), String(b.recordCount), String(b.accepted),
                String(b.held), String(b.duplicate), String(b.rejected), b.errorCodes.joined(separator: " "),
                b.itemCodes.joined(separator: " "),
            ]
        }
        return export(context, name: "message-log", sheet: "报送日志", header: header, rows: rows)
    }

    static func parameters(_ request: Request) -> [String: String] {
        var q: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { q[String(k)] = String(v) }
        return q
    }

    /// One batch as the list and the detail show it.
    static func messageRow(_ b: MessageLogStore.Batch) -> [String: Any] {
        [
            "id": b.id, "receivedAt": ConsoleTime.minutes(b.receivedAt), "direction": label(b.direction), "department": b.department,
            "departmentName": b.departmentName, "system": b.system ?? "—", "kind": b.kind, "format": b.format, "bytes": b.bodyBytes,
            "batchId": b.batchId ?? "—", "status": label(b.status), "statusClass": b.status == .refused ? "rejected" : b.status.rawValue,
            "records": b.recordCount, "accepted": b.accepted, "held": b.held, "duplicate": b.duplicate, "rejected": b.rejected,
            "errorCode": b.errorCode ?? "", "errorCodes": b.errorCodes.joined(separator: " "),
        ]
    }

    // Labels of the values this page shows. When `ConsoleLabels` (the one map of enum values to Chinese) is on
    // main, these four move there.
    static func label(_ s: MessageLogFilter.Status) -> String {
        switch s {
        case .rejected: "有拒收（含整批拒收）"
        case .refused: "整批拒收"
        case .held: "有待审核"
        case .duplicate: "有重复"
        case .accepted: "全部入账"
        }
    }

    static func label(_ s: MessageBatchStatus) -> String {
        switch s {
        case .accepted: "全部入账"
        case .held: "部分待审核"
        case .rejected: "部分拒收"
        case .refused: "整批拒收"
        }
    }

    static func label(_ s: RecordResult.Status) -> String {
        switch s {
        case .accepted: "已入账"
        case .held: "待审核"
        case .duplicate: "重复"
        case .rejected: "拒收"
        }
    }

    static func label(_ d: MessageDirection) -> String { d == .push ? "推送" : "拉取" }
}
