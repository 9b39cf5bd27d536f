import Foundation
import HubModel

/// One list's query, read and checked: the page (a number, or a keyset cursor), the page size from a fixed
/// set, the sort column from the list's whitelist and its direction, the search text and the filters. Pure:
/// it reads name/value pairs and either returns a value the stores can trust or a `ListQueryError` that the
/// console shows as a 400 page in Chinese — so a hand-edited link never reaches SQL, and never gives a 500.
struct ListQuery: Sendable, Equatable {
    /// 1-based page number (lists paged by number; 1 for keyset lists).
    var page = 1
    /// The keyset cursor's values (the last row's sort key), nil on the first page.
    var after: [String]?
    var size: Int
    var sort: String
    var descending: Bool
    /// The search text, trimmed ("" for none).
    var search = ""
    /// The filters given, by name, checked (absent or empty filters are not here).
    var filters: [String: String] = [:]

    /// Rows to skip (paging by number).
    var offset: Int { (page - 1) * size }

    func filter(_ name: String) -> String? { filters[name] }

    /// The first page of the list in its default order.
    init(spec: ListSpec) {
        size = spec.defaultSize
        sort = spec.defaultSort
        descending = spec.defaultDescending
    }

    /// The deepest page number accepted (paging by number is for small lists).
    static let maxPage = 10_000

    /// Reads `pairs` (the query string, in order; the first of a repeated name counts). Names the list does
    /// not know are left alone: a page may read its own (`localId`, `seq`).
    static func parse(_ pairs: [(String, String)], spec: ListSpec) throws(ListQueryError) -> ListQuery {
        var values: [String: String] = [:]
        for (name, value) in pairs where name.hasPrefix(spec.prefix) {
            let key = String(name.dropFirst(spec.prefix.count))
            if values[key] == nil { values[key] = value.trimmingCharacters(in: .whitespaces) }
        }
        var query = ListQuery(spec: spec)

        if let text = values["size"], !text.isEmpty {
            guard let size = Int(text), spec.sizes.contains(size) else {
                throw ListQueryError(
                    field: "size",
                    code: "list_size",
                    zh: "每页条数只能是 \(spec.sizes.map(String.init).joined(separator: "、"))",
                    en: "the page size must be one of \(spec.sizes.map(String.init).joined(separator: ", "))"
                )
            }
            query.size = size
        }
        if let text = values["sort"], !text.isEmpty {
            let descending = text.hasPrefix("-")
            let key = descending ? String(text.dropFirst()) : text
            guard spec.sortKeys.contains(key) else {
                let allowed = spec.columns.filter(\.sortable).map { "\($0.label)（\($0.key)）" }.joined(separator: "、")
                throw ListQueryError(
                    field: "sort",
                    code: "list_sort",
                    zh: "不能按“\(String(key.prefix(30)))”排序；可排序的列：\(allowed)",
                    en: "this list cannot be sorted by that column; sortable: \(spec.sortKeys.joined(separator: ", "))"
                )
            }
            (query.sort, query.descending) = (key, descending)
        }
        if spec.keyset {
            if let token = values["after"], !token.isEmpty {
                guard let cursor = ListCursor.decode(token, count: spec.cursorWidth) else {
                    throw ListQueryError(
                        field: "after",
                        code: "list_cursor",
                        zh: "翻页位置（游标）无效，请从第一页重新浏览",
                        en: "the page cursor is not valid; start again from the first page"
                    )
                }
                query.after = cursor
            }
        } else if let text = values["page"], !text.isEmpty {
            guard let page = Int(text), (1...maxPage).contains(page) else {
                throw ListQueryError(
                    field: "page",
                    code: "list_page",
                    zh: "页码应为 1 到 \(maxPage) 之间的整数",
                    en: "the page must be a whole number from 1 to \(maxPage)"
                )
            }
            query.page = page
        }
        if let text = values["q"], !text.isEmpty {
            guard text.count <= spec.searchMaxLength, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw ListQueryError(
                    field: "q",
                    code: "list_search",
                    zh: "搜索内容最多 \(spec.searchMaxLength) 个字，且不能含控制字符",
                    en: "the search text is at most \(spec.searchMaxLength) characters, without control characters"
                )
            }
            query.search = text
        }
        for filter in spec.filters {
            guard let text = values[filter.name], !text.isEmpty else { continue }
            guard Self.accepts(text, filter.kind) else { throw ListQueryError(filter: filter, value: text) }
            query.filters[filter.name] = text
        }
        if let from = query.filters["from"], let to = query.filters["to"], from > to {
            throw ListQueryError(
                field: "to",
                code: "list_date_range",
                zh: "结束日期 \(to) 早于开始日期 \(from)",
                en: "the end date \(to) is before the start date \(from)"
            )
        }
        return query
    }

    /// The name/value pairs of a raw query string as a browser's GET form sends it: `+` is a space,
    /// `%XX` decoded (a value that does not decode is kept as sent, and then fails its check).
    static func pairs(rawQuery: String?) -> [(String, String)] {
        guard let rawQuery, !rawQuery.isEmpty else { return [] }
        return rawQuery.split(separator: "&").map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(pieces[0]), pieces.count > 1 ? decode(pieces[1]) : "")
        }
    }

    static func accepts(_ value: String, _ kind: ListSpec.FilterKind) -> Bool {
        switch kind {
        case .oneOf(let allowed): allowed.contains(value)
        case .code(let maxLength):
            value.count <= maxLength && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        case .digits(let maxLength): value.count <= maxLength && value.allSatisfy { $0.isASCII && $0.isNumber }
        case .text(let maxLength):
            value.count <= maxLength && !value.unicodeScalars.contains { $0.properties.generalCategory == .control }
        case .day: CalendarDate(value).map { (2000...2099).contains($0.year) } ?? false
        }
    }

    // MARK: Links

    /// The query string of this list with some parts changed (the pager, the column headers, the exports
    /// use it), in a fixed order and percent-encoded; defaults are left out so links stay short.
    /// `carry`: parameters of the page outside this list (another list's, the day), kept as they are.
    func queryString(
        spec: ListSpec,
        page: Int? = nil,
        after: String? = nil,
        sort: (String, Bool)? = nil,
        paging: Bool = true,
        carry: [(String, String)] = []
    ) -> String {
        var items: [(String, String)] = []
        for f in spec.filters { if let v = filters[f.name] { items.append((f.name, v)) } }
        if !search.isEmpty { items.append(("q", search)) }
        let (key, desc) = sort ?? (self.sort, descending)
        if key != spec.defaultSort || desc != spec.defaultDescending { items.append(("sort", (desc ? "-" : "") + key)) }
        if size != spec.defaultSize { items.append(("size", String(size))) }
        if paging {
            if let after { items.append(("after", after)) }
            if let page, page > 1 { items.append(("page", String(page))) }
        }
        let own = items.map { "\(spec.prefix)\($0.0)=\(Self.encode($0.1))" }
        return (carry.map { "\($0.0)=\(Self.encode($0.1))" } + own).joined(separator: "&")
    }

    /// Percent-encodes everything but ASCII letters, digits and `-_.~` (RFC 3986 unreserved).
    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
}

/// A refused list query: the parameter, a stable code, and the message in Chinese and English. Shown as a
/// 400 page.
struct ListQueryError: Error, Equatable, Sendable {
    var field: String
    var code: String
    var zh: String
    var en: String

    init(field: String, code: String, zh: String, en: String) {
        (self.field, self.code, self.zh, self.en) = (field, code, zh, en)
    }

    init(filter: ListSpec.Filter, value: String) {
        let shown = String(value.prefix(30))
        switch filter.kind {
        case .day:
            self.init(
                field: filter.name,
                code: "list_date",
                zh: "\(filter.label)“\(shown)”不是有效日期，应为 YYYY-MM-DD（如 2026-12-07）",
                en: "\(filter.name) must be a real date YYYY-MM-DD"
            )
        case .oneOf(let allowed):
            self.init(
                field: filter.name,
                code: "list_filter",
                zh: "\(filter.label)“\(shown)”不是可选的值",
                en: "\(filter.name) must be one of \(allowed.joined(separator: ", "))"
            )
        case .code, .digits, .text:
            self.init(field: filter.name, code: "list_filter", zh: "\(filter.label)“\(shown)”格式不对", en: "\(filter.name) is not well formed")
        }
    }
}
