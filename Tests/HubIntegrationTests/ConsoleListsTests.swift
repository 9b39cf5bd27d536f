import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// Every console list paged, searchable, sortable and exportable (issue #16 item 3), over real HTTP with a
/// signed-in session and real PostgreSQL: disjoint pages covering every row, sort order, search and filters,
/// refusals as 400 pages (never 500), exports (CSV with BOM, XLSX read back with openpyxl) holding the
/// filtered rows, department scope and masking in exports, and a search by a party's number in the ledger.
@Suite("Console lists", .serialized)
struct ConsoleListsTests {
    let console = ConsoleTests()

    /// Pushes `count` records `prefix-001…` for `department`; the ones in `citizens` are of a natural person.
    static func push(
        _ client: any TestClientProtocol,
        _ t: TestHub,
        _ credentials: DepartmentCredentials,
        prefix: String,
        count: Int,
        citizens: Set<Int> = []
    )
        async throws
    {
        let records = (1...count).map { n in
            let localId = "\(prefix)-" + String(format: "%03d", n)
            return citizens.contains(n)
                ? PrivacyTests.citizenRecord(t, localId: localId)
                : SampleRecords.inspection(
                    localId: localId,
                    catalogCode: t.inspectionItem.catalogCode,
                    implementationCode: t.inspectionItem.code,
                    agencyCode: t.inspectionItem.agencyCode
                )
        }
        let push = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: credentials)
        #expect(push.status.code < 300, "push \(push.status)")
    }

    /// Today in Asia/Shanghai, `YYYY-MM-DD`.
    static func today() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }

    /// 12345 → "12,345", as the pages print counts.
    static func grouped(_ n: Int) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.locale = Locale(identifier: "en_US_POSIX")
        f.groupingSeparator = ","
        f.usesGroupingSeparator = true
        f.groupingSize = 3
        return f.string(from: NSNumber(value: n)) ?? String(n)
    }

    static func unescape(_ s: String) -> String { s.replacingOccurrences(of: "&amp;", with: "&") }

    /// The localIds of the records list's rows, in page order.
    static func recordIds(_ html: String) -> [String] {
        guard let table = html.range(of: "id=\"record-list\"") else { return [] }
        return html[table.lowerBound...].matches(of: /;localId=([A-Za-z0-9-]+)">/).map { String($0.1) }
    }

    static func link(_ html: String, _ id: String) -> String? {
        html.firstMatch(of: try! Regex<(Substring, Substring)>("<a href=\"([^\"]+)\" id=\"\(id)\""))
            .map { unescape(String($0.1)) }
    }

    /// Every page of a list from `path`, following `page-next`: the rows of each page.
    func pages(_ client: any TestClientProtocol, _ path: String, _ s: ConsoleTests.Session, rows: (String) -> [String]) async throws -> [[String]] {
        var out: [[String]] = []
        var next: String? = path
        while let url = next, out.count < 50 {
            let (status, html) = try await console.get(client, url, s)
            #expect(status == .ok, "\(url)")
            out.append(rows(html))
            next = Self.link(html, "page-next")
        }
        return out
    }

    func download(_ client: any TestClientProtocol, _ path: String, _ s: ConsoleTests.Session) async throws -> (HTTPResponse.Status, [UInt8]) {
        let r = try await client.execute(uri: path, method: .get, headers: [.cookie: s.cookie])
        return (r.status, Array(r.body.readableBytesView))
    }

    /// A CSV export's lines (after its BOM, which must be there).
    static func csvLines(_ bytes: [UInt8]) -> [String] {
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "CSV starts with the UTF-8 BOM")
        return String(decoding: bytes.dropFirst(3), as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }

    @Test("records: keyset pages cover every row once, sort, search, filters, refusals, exports with scope and masking")
    func records() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await console.users(hub)
            try await hub.opsUsers.add(
                username: "sam",
                displayName: "市监审计",
                password: "correct horse battery",
                roles: [.auditor],
                departments: ["HY-SCJG"]
            )
            try await hub.opsUsers.add(username: "pia", displayName: "个人信息查看员", password: "correct horse battery", roles: [.auditor, .pii])
            try await Self.push(client, t, t.scjg, prefix: "LIST", count: 45, citizens: [7])
            // Another department's three records: copies of one row (the test catalog has no item of its agency).
            var copied: [String] = []
            for try await id in try await hub.db.client.query(
                """
                INSERT INTO records (department_id, local_id, version, status, operation, content_hash, body, catalog_code, received_at)
                SELECT (SELECT id FROM departments WHERE code = 'HY-WJ'), 'WJ-00' || n, 1, status, operation, content_hash, body,
                       catalog_code, received_at + n * interval '1 millisecond'
                FROM records, generate_series(1, 3) n WHERE local_id = 'LIST-002'
                RETURNING local_id
                """,
                logger: hub.db.logger
            ).decode(String.self) { copied.append(id) }
            #expect(copied.count == 3)
            let all = try await count(hub.db, "SELECT count(*)::int FROM records")
            let wjRows = try await count(
                hub.db,
                "SELECT count(*)::int FROM records r JOIN departments d ON d.id = r.department_id WHERE d.code = 'HY-WJ'"
            )
            #expect(all == 48 && wjRows == 3)
            let carol = try await console.signIn(client, "carol")

            // Pages of 20 by cursor: disjoint, covering every row; newest first by default.
            let byCursor = try await pages(client, "/console/records?size=20", carol, rows: Self.recordIds)
            #expect(byCursor.map(\.count) == [20, 20, 8])
            let flat = byCursor.flatMap { $0 }
            #expect(Set(flat).count == 48 && flat.count == 48)

            // Sort by localId both ways, over pages.
            let ascending = try await pages(client, "/console/records?sort=localId&size=20", carol, rows: Self.recordIds).flatMap { $0 }
            #expect(ascending == ascending.sorted() && ascending.count == 48)
            let (_, desc) = try await console.get(client, "/console/records?sort=-localId", carol)
            #expect(Self.recordIds(desc).first == "WJ-003")
            #expect(desc.contains("本地编号 ▼"))

            // Search by localId prefix, and filters.
            let (_, search) = try await console.get(client, "/console/records?q=LIST-01", carol)
            #expect(Set(Self.recordIds(search)) == Set((10...19).map { "LIST-0\($0)" }))
            let (_, wj) = try await console.get(client, "/console/records?department=HY-WJ", carol)
            #expect(Set(Self.recordIds(wj)) == ["WJ-001", "WJ-002", "WJ-003"])
            #expect(wj.contains("共 3 条"))
            let today = Self.today()
            let (_, dated) = try await console.get(client, "/console/records?from=\(today)&to=\(today)&size=100", carol)
            #expect(Self.recordIds(dated).count == 48)
            let (_, yesterday) = try await console.get(client, "/console/records?to=2020-01-01", carol)
            #expect(yesterday.contains("no-records"))
            let (_, item) = try await console.get(
                client,
                "/console/records?item=\(t.inspectionItem.catalogCode.prefix(6))&department=HY-SCJG&size=100",
                carol
            )
            #expect(Self.recordIds(item).count == 45)
            let (_, byName) = try await console.get(client, "/console/records?q=%E5%BC%A0%E6%9F%90", carol)  // 张某
            #expect(Self.recordIds(byName) == ["LIST-007"])
            #expect(byName.contains("1****************X") && !byName.contains(PrivacyTests.citizenID), "masked without pii")

            // The exact lookups still work beside the list.
            let (_, exact) = try await console.get(client, "/console/records?department=HY-SCJG&localId=LIST-001", carol)
            #expect(exact.contains("LIST-001") && !exact.contains("id=\"record-list\""))

            // Bad values are 400 pages in Chinese, never 500.
            for bad in [
                "size=7", "sort=body", "sort=-party", "from=2026-02-30", "to=yesterday", "status=deleted", "after=%%%", "department=a'b",
                "from=2026-12-07&to=2026-12-01", "item=12ab",
            ] {
                let (status, html) = try await console.get(client, "/console/records?\(bad)", carol)
                #expect(status == .badRequest, "\(bad)")
                #expect(html.contains("id=\"problem\""), "\(bad)")
            }

            // Exports of the current filter: CSV with BOM, XLSX read back; masked without pii.
            let (csvStatus, csvBytes) = try await download(client, "/console/records/export.csv?q=LIST-00&sort=localId", carol)
            #expect(csvStatus == .ok)
            let lines = Self.csvLines(csvBytes)
            #expect(lines.count == 10 && lines[0].hasPrefix("收到时间,部门,本地编号"))
            #expect(lines[1].contains("LIST-001") && lines[9].contains("LIST-009"))
            #expect(lines[7].contains("1****************X") && !csvBytes.contains(Array(PrivacyTests.citizenID.utf8)))
            let (xlsxStatus, xlsxBytes) = try await download(client, "/console/records/export.xlsx?q=LIST-00&sort=localId", carol)
            #expect(xlsxStatus == .ok)
            let sheet = try CatalogClaimTests.readXLSX(xlsxBytes)
            #expect(sheet.count == 10 && sheet[0][2] == "本地编号" && sheet[1][2] == "LIST-001" && sheet[7][7] == "1****************X")
            let pia = try await console.signIn(client, "pia")
            let (_, unmasked) = try await download(client, "/console/records/export.csv?q=LIST-007", pia)
            #expect(Self.csvLines(unmasked).last?.contains(PrivacyTests.citizenID) == true, "pii sees the number")

            // Scope: a department-scoped account sees and exports only its departments.
            let sam = try await console.signIn(client, "sam")
            let samAll = try await pages(client, "/console/records?size=50", sam, rows: Self.recordIds).flatMap { $0 }
            #expect(samAll.count == 45 && samAll.allSatisfy { $0.hasPrefix("LIST-") })
            let (_, samWJ) = try await console.get(client, "/console/records?department=HY-WJ", sam)
            #expect(samWJ.contains("no-records"))
            let (_, samCSV) = try await download(client, "/console/records/export.csv", sam)
            #expect(Self.csvLines(samCSV).count == 46 && !Self.csvLines(samCSV).contains { $0.contains("HY-WJ") })
            // The exact lookup too: another department's record is "not found" for a scoped account, as if absent.
            let (_, samExact) = try await console.get(client, "/console/records?department=HY-WJ&localId=WJ-001", sam)
            #expect(samExact.contains("id=\"not-found\""), "a scoped account must not see HY-WJ's history")
            let (_, carolExact) = try await console.get(client, "/console/records?department=HY-WJ&localId=WJ-001", carol)
            #expect(!carolExact.contains("id=\"not-found\"") && carolExact.contains("· WJ-001"))

            // A search by a party's number is a party_lookup ledger entry (the page and the export alike).
            let before = try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE subject = 'party_lookup'")
            let (_, byNumber) = try await console.get(client, "/console/records?q=\(PrivacyTests.citizenID)", carol)
            #expect(Self.recordIds(byNumber) == ["LIST-007"])
            #expect(!byNumber.contains("value=\"\(PrivacyTests.citizenID)\""), "the number is not put back in the search box without pii")
            _ = try await download(client, "/console/records/export.csv?q=\(PrivacyTests.citizenID)", carol)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE subject = 'party_lookup'") == before + 2)
        }
    }

    @Test("ledger, catalog, reviews and exchange lists: filters, paging, sort, 400s, a day picker and exports")
    func otherLists() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await console.users(hub)
            try await Self.push(client, t, t.scjg, prefix: "LED", count: 30)
            let carol = try await console.signIn(client, "carol")

            // Ledger: by kind, keyset pages disjoint and complete, newest first; oldest first on request.
            let records = try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'record'")
            #expect(records == 30)
            let seqs: (String) -> [String] = { html in
                guard let table = html.range(of: "id=\"ledger-entries\"") else { return [] }
                return html[table.lowerBound...].matches(of: /href="\/console\/ledger\?seq=(\d+)"/).map { String($0.1) }
            }
            let ledgerPages = try await pages(client, "/console/ledger?kind=record&size=20", carol, rows: seqs)
            let flat = ledgerPages.flatMap { $0 }.compactMap(Int.init)
            #expect(ledgerPages.map(\.count) == [20, 10] && Set(flat).count == 30 && flat == flat.sorted(by: >))
            let (_, oldest) = try await console.get(client, "/console/ledger?kind=record&sort=seq&size=20", carol)
            #expect(seqs(oldest).compactMap(Int.init) == Array(flat.reversed().prefix(20)))
            let (_, signIns) = try await console.get(client, "/console/ledger?q=console_sign_in", carol)
            #expect(seqs(signIns).count == 1)
            for bad in ["kind=nope", "from=2026-13-01", "sort=subject", "size=1000", "after=abc"] {
                let (status, _) = try await console.get(client, "/console/ledger?\(bad)", carol)
                #expect(status == .badRequest, "\(bad)")
            }
            let (_, ledgerCSV) = try await download(client, "/console/ledger/export.csv?kind=record", carol)
            #expect(Self.csvLines(ledgerCSV).count == 31 && Self.csvLines(ledgerCSV)[0].hasPrefix("序号,时间,类型"))

            // Catalog: filters by type, level and status; offset pages disjoint and complete; sort by name.
            let inspections = try await count(hub.db, "SELECT count(*)::int FROM catalog_current WHERE item_type = '行政检查'")
            let codes: (String) -> [String] = { html in
                html.matches(of: /<tr><td data-label="目录编码"><a href="\/console\/catalog\/(\d+)">/).map { String($0.1) }
            }
            let catalogPages = try await pages(client, "/console/catalog?type=%E8%A1%8C%E6%94%BF%E6%A3%80%E6%9F%A5&size=200", carol, rows: codes)
            let allCodes = catalogPages.flatMap { $0 }
            #expect(allCodes.count == inspections && Set(allCodes).count == inspections && allCodes == allCodes.sorted())
            let (_, first) = try await console.get(client, "/console/catalog?type=%E8%A1%8C%E6%94%BF%E6%A3%80%E6%9F%A5&size=200", carol)
            #expect(first.contains("共 \(Self.grouped(inspections)) 条"))
            let mains = try await count(hub.db, "SELECT count(*)::int FROM catalog_current WHERE parent_code IS NULL AND status = 'active'")
            let (_, mainPage) = try await console.get(client, "/console/catalog?level=main&status=active", carol)
            #expect(mainPage.contains("共 \(Self.grouped(mains)) 条"))
            let (_, byCode) = try await console.get(client, "/console/catalog?q=\(t.inspectionItem.catalogCode)", carol)
            #expect(codes(byCode) == [t.inspectionItem.catalogCode])
            for bad in ["type=x", "level=top", "sort=legal_basis", "page=0", "page=abc"] {
                let (status, _) = try await console.get(client, "/console/catalog?\(bad)", carol)
                #expect(status == .badRequest, "\(bad)")
            }
            let (catStatus, catXLSX) = try await download(client, "/console/catalog/export.xlsx?q=\(t.inspectionItem.catalogCode)", carol)
            #expect(catStatus == .ok)
            let catSheet = try CatalogClaimTests.readXLSX(catXLSX)
            #expect(catSheet.count == 2 && catSheet[1][0] == t.inspectionItem.catalogCode && catSheet[0][0] == "目录编码")

            // Reviews: the queue pages and exports; a bad sort is a 400.
            let (reviewsStatus, reviews) = try await console.get(client, "/console/reviews?sort=-openedAt&size=20", carol)
            #expect(reviewsStatus == .ok && reviews.contains("export-csv"))
            #expect(try await console.get(client, "/console/reviews?sort=reason", carol).0 == .badRequest)
            let (_, reviewsCSV) = try await download(client, "/console/reviews/export.csv", carol)
            #expect(Self.csvLines(reviewsCSV).first?.hasPrefix("编号,部门,本地事项编码") == true)

            // Exchange: a chosen day; a bad day is a 400; reconciliation and dead letters export.
            let today = Self.today()
            let (_, todayPage) = try await console.get(client, "/console/exchange?day=\(today)", carol)
            #expect(todayPage.contains("HY-SCJG") && todayPage.contains("value=\"\(today)\""))
            let (_, past) = try await console.get(client, "/console/exchange?day=2026-01-05", carol)
            #expect(past.contains("交换监控 · 2026-01-05") && past.contains("day-today"))
            for bad in ["day=2026-02-30", "day=today", "dead_size=3", "dead_sort=lastError"] {
                let (status, html) = try await console.get(client, "/console/exchange?\(bad)", carol)
                #expect(status == .badRequest && html.contains("id=\"problem\""), "\(bad)")
            }
            let (_, recon) = try await download(client, "/console/exchange/reconciliation/export.csv?day=\(today)&sort=-received", carol)
            let reconLines = Self.csvLines(recon)
            #expect(reconLines[0].hasPrefix("部门,收到,入账") && reconLines[1].hasPrefix("HY-SCJG,30,"))
            let (deadStatus, dead) = try await download(client, "/console/exchange/dead-letters/export.xlsx", carol)
            let deadSheet = try CatalogClaimTests.readXLSX(dead)
            #expect(deadStatus == .ok && deadSheet.first?.first == "编号")
        }
    }
}
