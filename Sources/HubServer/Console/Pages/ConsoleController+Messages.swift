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
        // The planner's estimate (0 before the table was first analyzed): never a count over the whole log.
        let estimate = try await messageLog.estimatedTotal()
        let values: [String: Any] = [
            "batches": page.batches.map(Self.messageRow), "empty": page.batches.isEmpty, "shown": page.batches.count,
            "estimate": estimate, "hasEstimate": estimate > 0, "departments": departments, "hasNext": page.next != nil,
            "statuses": MessageLogFilter.Status.allCases.map {
                ["value": $0.rawValue, "label": $0.consoleLabel, "selected": $0 == query.filter.status]
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
        let query = MessageLogQuery(Self.parameters(request), scope: context.user.departmentScope)
        let batches = try await messageLog.list(query.filter, limit: Self.messageExportCap).batches
        let header = [
            "编号", "接收时间", "方向", "部门编码", "部门", "系统", "类型", "格式", "字节数", "批次号", "状态", "记录数", "入账", "待审核", "重复", "拒收",
            "错误代码", "事项编码",
        ]
        let rows = batches.map { b in
            [
                String(b.id), ConsoleTime.minutes(b.receivedAt), b.direction.consoleLabel, b.department, b.departmentName, b.system ?? "",
                MessageKind.label(b.kind), b.format, String(b.bodyBytes), b.batchId ?? "", b.status.consoleLabel, String(b.recordCount),
                String(b.accepted),
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
            "id": b.id, "receivedAt": ConsoleTime.minutes(b.receivedAt), "direction": b.direction.consoleLabel,
            "department": ConsoleLabels.department(b.department, names: [b.department: b.departmentName]), "departmentCode": b.department,
            "system": b.system ?? "—", "kind": MessageKind.label(b.kind), "format": b.format, "bytes": b.bodyBytes,
            "batchId": b.batchId ?? "—", "status": b.status.consoleLabel, "statusClass": b.status == .refused ? "rejected" : b.status.rawValue,
            "records": b.recordCount, "accepted": b.accepted, "held": b.held, "duplicate": b.duplicate, "rejected": b.rejected,
            "errorCode": b.errorCode ?? "", "errorCodes": b.errorCodes.joined(separator: " "),
        ]
    }
}
