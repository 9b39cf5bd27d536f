/// What the list partials (`list-search`, `list-head`, `list-pager`) render: the search box with the page
/// size, the column headers as sort links (the active one with its arrow), the pager (page numbers, or
/// "下一页" by cursor) and the export links of the current filter. Built from the list's spec and query, so
/// every list's controls are the same markup.
struct ListView {
    var spec: ListSpec
    var query: ListQuery
    /// The page's parameters outside this list, kept in every link (see `ListQuery.queryString`).
    var carry: [(String, String)] = []

    /// One page's rows were read with `size + 1`: `shown` rows are on the page, `more` says whether a
    /// next page exists, `nextCursor` is the last shown row's key (keyset lists), `total` the count of the
    /// filtered rows when the list knows it cheaply.
    /// `totalIsLowerBound`: the count stopped at `total` (the list says "超过 N 条").
    func values(shown: Int, more: Bool, nextCursor: [String]? = nil, total: Int? = nil, totalIsLowerBound: Bool = false) -> [String: Any] {
        let base = spec.path + "?"
        let columns: [[String: Any]] = spec.columns.map { c in
            var m: [String: Any] = ["label": c.label, "key": c.key, "cls": c.numeric ? "num" : "", "sortable": c.sortable]
            if c.sortable {
                let active = query.sort == c.key
                // A header toggles its direction when active; a new column starts in its natural order
                // (numbers and times newest/largest first).
                let descending = active ? !query.descending : (c.numeric || c.key == spec.defaultSort && spec.defaultDescending)
                m["href"] = base + query.queryString(spec: spec, sort: (c.key, descending), paging: false, carry: carry)
                m["active"] = active
                m["arrow"] = active ? (query.descending ? " ▼" : " ▲") : ""
                m["sortTitle"] = descending ? "按\(c.label)降序" : "按\(c.label)升序"
            }
            return m
        }
        var pager: [String: Any] = [:]
        let firstRow = spec.keyset ? 0 : query.offset
        if spec.keyset {
            if query.after != nil { pager["first"] = base + query.queryString(spec: spec, paging: false, carry: carry) }
            if more, let nextCursor {
                pager["next"] = base + query.queryString(spec: spec, after: ListCursor.encode(nextCursor), carry: carry)
            }
        } else {
            if query.page > 1 {
                pager["first"] = base + query.queryString(spec: spec, paging: false, carry: carry)
                pager["prev"] = base + query.queryString(spec: spec, page: query.page - 1, carry: carry)
            }
            if more { pager["next"] = base + query.queryString(spec: spec, page: query.page + 1, carry: carry) }
            pager["page"] = query.page
            if let total, !totalIsLowerBound { pager["pages"] = max(1, (total + query.size - 1) / query.size) }
        }
        let exportQuery = query.queryString(spec: spec, paging: false, carry: carry)
        let exportBase = spec.exportBase ?? spec.path
        var summary: [String] = []
        if let total { summary.append(totalIsLowerBound ? "超过 \(Self.grouped(total)) 条" : "共 \(Self.grouped(total)) 条") }
        if shown == 0 {
            summary.append("本页没有记录")
        } else if spec.keyset {
            summary.append("本页 \(shown) 条")
        } else {
            summary.append("第 \(Self.grouped(firstRow + 1))–\(Self.grouped(firstRow + shown)) 条")
            if let pages = pager["pages"] as? Int { summary.append("第 \(query.page)/\(pages) 页") }
        }
        var values: [String: Any] = [
            "path": spec.path, "prefix": spec.prefix, "q": query.search,
            "carry": carry.map { ["name": $0.0, "value": $0.1] }, "searchHint": spec.searchHint,
            "sizes": spec.sizes.map { ["value": $0, "selected": $0 == query.size] },
            "columns": columns, "pager": pager, "summaryText": summary.joined(separator: " · "), "keyset": spec.keyset, "hasPager": !pager.isEmpty,
            "empty": shown == 0, "filtered": !query.filters.isEmpty || !query.search.isEmpty,
            "exportCSV": exportBase + "/export.csv" + (exportQuery.isEmpty ? "" : "?" + exportQuery),
            "exportXLSX": exportBase + "/export.xlsx" + (exportQuery.isEmpty ? "" : "?" + exportQuery),
            "exportCap": Self.grouped(spec.exportCap),
        ]
        // Only a non-default order rides along in the search form (a Mustache section renders for any string).
        if query.sort != spec.defaultSort || query.descending != spec.defaultDescending {
            values["sortValue"] = (query.descending ? "-" : "") + query.sort
        }
        return values
    }

    /// 100000 → "100,000".
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
