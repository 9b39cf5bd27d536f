import Testing

@testable import HubServer

/// The console lists' query value (issue #16 item 3): sizes from a fixed set, sorts from the list's
/// whitelist, filters checked by kind, cursors that decode or are refused — each refusal a stable code.
@Suite struct ListQueryTests {
    static let keyset = ListSpec(
        path: "/console/records",
        columns: [
            .init("received", "收到时间", sortable: true), .init("localId", "本地编号", sortable: true), .init("party", "当事人"),
            .init("version", "版本", sortable: true, numeric: true),
        ],
        filters: [
            .init(name: "department", label: "部门", kind: .code(maxLength: 32)),
            .init(name: "status", label: "状态", kind: .oneOf(["accepted", "held", "rejected"])),
            .init(name: "item", label: "目录编码", kind: .digits(maxLength: 14)), .init(name: "from", label: "开始日期", kind: .day),
            .init(name: "to", label: "结束日期", kind: .day),
        ],
        defaultSort: "received",
        defaultDescending: true,
        cursorWidth: 4,
        searchHint: "本地编号前缀"
    )
    static var offset: ListSpec {
        var s = keyset
        s.cursorWidth = 0
        s.path = "/console/catalog"
        return s
    }

    func parse(_ pairs: [(String, String)], _ spec: ListSpec = keyset) throws(ListQueryError) -> ListQuery {
        try ListQuery.parse(pairs, spec: spec)
    }

    func refusal(_ pairs: [(String, String)], _ spec: ListSpec = keyset) -> ListQueryError? {
        do throws(ListQueryError) {
            _ = try parse(pairs, spec)
            return nil
        } catch { return error }
    }

    @Test func defaultsWhenNothingIsGiven() throws {
        let q = try parse([])
        #expect(q.size == 50 && q.sort == "received" && q.descending && q.page == 1 && q.after == nil && q.search.isEmpty && q.filters.isEmpty)
        #expect(q.queryString(spec: Self.keyset).isEmpty)
    }

    @Test func readsEveryPart() throws {
        let q = try parse([
            ("size", "100"), ("sort", "-localId"), ("q", " 张三 "), ("department", "SCJG"), ("status", "held"), ("item", "0101"),
            ("from", "2026-12-01"), ("to", "2026-12-07"), ("localId", "ignored"),
        ])
        #expect(q.size == 100 && q.sort == "localId" && q.descending && q.search == "张三")
        #expect(q.filters == ["department": "SCJG", "status": "held", "item": "0101", "from": "2026-12-01", "to": "2026-12-07"])
        // The link keeps filters, search, sort and size in a fixed order, percent-encoded.
        #expect(
            q.queryString(spec: Self.keyset)
                == "department=SCJG&status=held&item=0101&from=2026-12-01&to=2026-12-07&q=%E5%BC%A0%E4%B8%89&sort=-localId&size=100"
        )
        // The first of a repeated name counts; empty values are no filter.
        #expect(try parse([("status", "accepted"), ("status", "held"), ("department", "")]).filters == ["status": "accepted"])
    }

    @Test func refusesSizesOutsideTheSet() {
        for size in ["0", "7", "-20", "1000", "abc", "50.0"] { #expect(refusal([("size", size)])?.code == "list_size") }
    }

    @Test func refusesSortsOutsideTheWhitelist() {
        for sort in ["party", "-party", "received;drop table", "--received", "body"] {
            #expect(refusal([("sort", sort)])?.code == "list_sort", "\(sort)")
        }
        #expect(refusal([("sort", "nope")])?.zh.contains("收到时间（received）") == true)
    }

    @Test func refusesBadFilters() {
        #expect(refusal([("status", "deleted")])?.code == "list_filter")
        #expect(refusal([("department", "x' or 1=1")])?.code == "list_filter")
        #expect(refusal([("item", "01a")])?.code == "list_filter")
        for day in ["2026-02-30", "2026-13-01", "26-12-01", "2026-12-1", "tomorrow", "1999-12-31"] {
            #expect(refusal([("from", day)])?.code == "list_date", "\(day)")
        }
        #expect(refusal([("from", "2026-12-07"), ("to", "2026-12-01")])?.code == "list_date_range")
        #expect(refusal([("q", String(repeating: "字", count: 51))])?.code == "list_search")
        #expect(refusal([("q", "a\u{07}b")])?.code == "list_search")
    }

    @Test func pagesByNumberOnSmallLists() throws {
        #expect(try parse([("page", "3"), ("size", "20")], Self.offset).offset == 40)
        for page in ["0", "-1", "x", "10001"] { #expect(refusal([("page", page)], Self.offset)?.code == "list_page") }
        // A keyset list does not read `page`.
        #expect(try parse([("page", "x")]).page == 1)
    }

    @Test func cursorsRoundTripAndForgeriesAreRefused() throws {
        let values = ["2026-12-07 10:00:00.123456+08", "3", "A-001/π", "2"]
        let token = ListCursor.encode(values)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try parse([("after", token)]).after == values)
        #expect(refusal([("after", "not base64!")])?.code == "list_cursor")
        #expect(refusal([("after", ListCursor.encode(["only", "three", "values"]))])?.code == "list_cursor")
        #expect(refusal([("after", "_w")])?.code == "list_cursor")  // 0xFF: not UTF-8
    }

    @Test func rawQueriesDecodeAsFormsSendThem() {
        let pairs = ListQuery.pairs(rawQuery: "q=%E5%BC%A0+%E4%B8%89&x&sort=-received&bad=%ZZ")
        #expect(pairs.map(\.0) == ["q", "x", "sort", "bad"])
        #expect(pairs.map(\.1) == ["张 三", "", "-received", "%ZZ"])
    }

    @Test func viewLinksHeadersPagerAndExports() throws {
        let q = try parse([("status", "held"), ("sort", "localId")], Self.offset)
        let v = ListView(spec: Self.offset, query: q).values(shown: 50, more: true, total: 120)
        let columns = try #require(v["columns"] as? [[String: Any]])
        #expect(columns[1]["active"] as? Bool == true && columns[1]["href"] as? String == "/console/catalog?status=held&sort=-localId")
        #expect(columns[2]["sortable"] as? Bool == false)
        let pager = try #require(v["pager"] as? [String: Any])
        #expect(pager["next"] as? String == "/console/catalog?status=held&sort=localId&page=2" && pager["prev"] == nil)
        #expect(v["exportCSV"] as? String == "/console/catalog/export.csv?status=held&sort=localId")
        #expect(v["summaryText"] as? String == "共 120 条 · 第 1–50 条 · 第 1/3 页")
        let keyset = ListView(spec: Self.keyset, query: try parse([])).values(shown: 50, more: true, nextCursor: ["a", "b", "c", "d"])
        #expect((keyset["pager"] as? [String: Any])?["next"] as? String == "/console/records?after=" + ListCursor.encode(["a", "b", "c", "d"]))
        #expect(ListView.grouped(100_000) == "100,000" && ListView.grouped(999) == "999")
    }
}
