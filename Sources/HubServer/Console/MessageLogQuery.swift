import Foundation
import HubModel
import HubStore
import Supervision

/// The ops API's 报送日志 query string (`GET /api/v1/ops/messages`) as a filter and a cursor (the console page reads
/// its query through `ListQuery` with `ConsoleController.messageList`): `department`, `status`, `error`, `item`, `from`,
/// `to` (days, +08:00, both inclusive), `batch` (a batch id or its beginning), `direction`, `after` (the keyset
/// cursor: the last batch id of the previous page). Unknown or malformed values are ignored, not refused: a
/// typed-in filter that makes no sense shows the unfiltered list, as the other console filters do.

struct MessageLogQuery: Sendable {
    var filter: MessageLogFilter
    var after: Int64?
    /// The days as typed (for the form).
    var fromDay: String?
    var toDay: String?

    init(_ q: [String: String], scope: [String]?) {
        func text(_ name: String, max: Int = 64) -> String? {
            guard let v = q[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty, v.count <= max,
                !v.unicodeScalars.contains(where: { $0.value < 0x20 })
            else { return nil }
            return v
        }
        func code(_ name: String) -> String? {
            text(name).flatMap { v in v.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) } ? v : nil }
        }
        let from = text("from").flatMap { CalendarDate($0) }
        let to = text("to").flatMap { CalendarDate($0) }
        fromDay = from?.description
        toDay = to?.description
        filter = MessageLogFilter(
            department: ConsoleController.departmentFilter(q["department"]),
            status: text("status").flatMap(MessageLogFilter.Status.init(rawValue:)),
            errorCode: code("error"),
            itemCode: code("item"),
            from: from.map(Self.start),
            until: to.map { Self.start($0.adding(days: 1)) },
            batchId: text("batch", max: 50),
            direction: text("direction").flatMap(MessageDirection.init(rawValue:)),
            scope: scope
        )
        after = text("after").flatMap(Int64.init)
    }

    /// Midnight of a day in Asia/Shanghai (+08:00).
    static func start(_ day: CalendarDate) -> Date {
        Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 - 8 * 3600)
    }

    /// The query string of this filter (without the cursor), for the next-page and export links.
    var queryString: String {
        var parts: [(String, String?)] = [
            ("department", filter.department), ("status", filter.status?.rawValue), ("error", filter.errorCode), ("item", filter.itemCode),
            ("from", fromDay), ("to", toDay), ("batch", filter.batchId), ("direction", filter.direction?.rawValue),
        ]
        parts.removeAll { $0.1 == nil }
        return parts.map { "\($0.0)=\(Self.encoded($0.1 ?? ""))" }.joined(separator: "&")
    }

    /// A value percent-encoded for a query string: letters, digits and `-._~` stay as they are.
    static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}
