import HubModel
import HubStore
import Hummingbird

/// The public search's parameters, read strictly (a wrong value is a 400 naming it); an empty value is the same
/// as an absent one, because the HTML search form sends every field.
enum PublicQuery {
    static func read(_ request: Request, defaultLimit: Int64 = 20) throws -> PublicationStore.Query {
        let p = request.uri.queryParameters
        func text(_ name: String, max: Int) throws -> String? {
            guard let v = p.get(name)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            guard v.count <= max, !v.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw HubHTTPError(
                    .badRequest,
                    code: "invalid_query_parameter",
                    zh: "查询参数 \(name) 过长或含控制字符（至多 \(max) 个字符）",
                    en: "query parameter \(name) is longer than \(max) characters or holds control characters",
                    path: name
                )
            }
            return v
        }
        func date(_ name: String) throws -> CalendarDate? {
            guard let v = try text(name, max: 10) else { return nil }
            guard let d = CalendarDate(v) else {
                throw HubHTTPError(
                    .badRequest,
                    code: "invalid_query_parameter",
                    zh: "查询参数 \(name) 应为 YYYY-MM-DD 日期",
                    en: "query parameter \(name) must be a YYYY-MM-DD date",
                    path: name
                )
            }
            return d
        }
        let strict = StrictQuery(request)
        let cursor: Int64? = try (p.get("cursor").map { $0.isEmpty ? nil : $0 } ?? nil).map { _ in
            try strict.integer("cursor", in: 1...Int64.max, default: 1)
        }
        return PublicationStore.Query(
            q: try text("q", max: 100),
            department: try text("department", max: 50),
            uscc: try text("uscc", max: 18)?.uppercased(),
            from: try date("from"),
            to: try date("to"),
            cursor: cursor,
            limit: Int(try strict.integer("limit", in: 1...100, default: defaultLimit))
        )
    }
}
