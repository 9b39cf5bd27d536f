import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import ProvinceSimulator
import Testing

/// 报送日志 over signed HTTP, the ops API, the console and PostgreSQL: a mixed batch with its per-record answers,
/// whole-batch refusals (malformed body, replay, bad signature), a batch of bad check digits, the filters and keyset
/// paging, department scope, the CSV and XLSX exports, retention, and a pulled batch.
@Suite("Message log", .serialized)
struct MessageLogTests {
    let console = ConsoleTests()

    static func record(_ t: TestHub, _ id: String, localCode: String? = nil, uscc: String? = nil) -> String {
        let item = t.inspectionItem
        if let localCode {
            return SampleRecords.inspection(localId: id, catalogCode: nil, implementationCode: nil, agencyCode: item.agencyCode, localCode: localCode)
        }
        if let uscc {
            return SampleRecords.inspection(
                localId: id,
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode,
                partyUSCC: uscc
            )
        }
        return SampleRecords.inspection(localId: id, catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
    }

    static func users(_ hub: HubContext) async throws {
        try await hub.opsUsers.add(username: "alice", displayName: "alice", password: "correct horse battery", roles: [.reviewer])
        try await hub.opsUsers.add(
            username: "wjstaff",
            displayName: "卫健",
            password: "correct horse battery",
            roles: [.reviewer],
            departments: ["HY-WJ"]
        )
    }

    @Test("refusals of one key beyond 30 a minute are counted in the metrics, not written to the log")
    func refusalBudget() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let forged = DepartmentCredentials(department: "HY-SCJG", name: "", keyId: t.scjg.keyId, secret: String(repeating: "0", count: 64))
            let started = ContinuousClock.now
            for _ in 0..<35 {
                #expect(try await client.signed(.post, "/api/v1/records", body: "{}", as: forged).status == .unauthorized)
            }
            let logged = try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE error_code = 'bad_signature'")
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(hub.metricsToken)"])
            let line = String(buffer: metrics.body).split(separator: "\n").first { $0.hasPrefix("hub_message_log_refusals_suppressed_total{") }
            let suppressed = line.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }.map { Int($0) } ?? 0
            // Every refusal is either logged or counted; within one minute exactly 30 are logged. (On a machine so
            // loaded that 35 requests took a minute, the key's window started again: more were logged.)
            #expect(logged + suppressed == 35, "\(logged) logged, \(line ?? "no metric line")")
            if ContinuousClock.now - started < .seconds(60) { #expect(logged == 30 && suppressed == 5) } else { #expect(logged >= 30) }
            // A good upload of the same key is still logged.
            let good = SampleRecords.batch([Self.record(t, "ML-BUDGET")], batchId: "ML-BUDGET")
            #expect(try await client.signed(.post, "/api/v1/records", body: good, as: t.scjg).status == .ok)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE batch_id = 'ML-BUDGET'") == 1)
        }
    }

    @Test("a pushed batch with accepted, held and rejected records is logged with every answer; refusals as a whole too")
    func pushedBatches() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await Self.users(hub)
            let body = SampleRecords.batch(
                [Self.record(t, "ML-1"), Self.record(t, "ML-2", localCode: "ML-UNKNOWN"), Self.record(t, "ML-3", uscc: "91330105MA2KER1H4M")],
                batchId: "ML-B1"
            )
            let pushed = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg)
            #expect(pushed.status == .ok)
            // Malformed, then a batch whose only record has a bad check digit, then a replay and a bad signature.
            let malformed = try await client.signed(.post, "/api/v1/records", body: "{\"batchId\":\"ML-BAD\",\"records\":[", as: t.scjg)
            #expect(malformed.status == .badRequest)
            let digits = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([Self.record(t, "ML-4", uscc: "91330105MA2KER1H4M")], batchId: "ML-B2"),
                as: t.scjg
            )
            #expect(digits.status == .ok)
            let now = Date()
            let nonce = UUID().uuidString
            let small = SampleRecords.batch([Self.record(t, "ML-5")], batchId: "ML-B3")
            #expect(try await client.signed(.post, "/api/v1/records", body: small, as: t.scjg, timestamp: now, nonce: nonce).status == .ok)
            let replay = try await client.signed(.post, "/api/v1/records", body: small, as: t.scjg, timestamp: now, nonce: nonce)
            #expect(replay.status == .unauthorized)
            let forged = DepartmentCredentials(department: "HY-SCJG", name: "", keyId: t.scjg.keyId, secret: String(repeating: "0", count: 64))
            #expect(try await client.signed(.post, "/api/v1/records", body: "{\"secret\":\"do-not-log\"}", as: forged).status == .unauthorized)

            let ops = try await opsLogin(client, "alice")
            let list = try await client.execute(uri: "/api/v1/ops/messages", method: .get, headers: ops)
            #expect(list.status == .ok)
            let batches = list.json["messages"]!.array
            #expect(batches.count == 6, "\(batches.map { $0["status"]?.string ?? "" })")
            // Newest first: bad signature, replay, ML-B3, ML-B2, malformed, ML-B1.
            #expect(
                batches.map { $0["errorCodes"]?[0].string ?? "-" } == [
                    "bad_signature", "replayed_nonce", "-", "invalid_check_digit", batches[4]["errorCodes"]?[0].string ?? "", "invalid_check_digit",
                ]
            )
            let mixed = batches[5]
            #expect(mixed["batchId"]?.string == "ML-B1")
            #expect(mixed["status"]?.string == "rejected")
            #expect(mixed["summary"]?["records"]?.int == 3 && mixed["summary"]?["accepted"]?.int == 1)
            #expect(mixed["summary"]?["held"]?.int == 1 && mixed["summary"]?["rejected"]?.int == 1)
            #expect(mixed["system"]?.string == t.scjg.keyId)
            #expect(mixed["format"]?.string == "json")
            #expect(mixed["bodyBytes"]?.int == body.utf8.count)
            #expect(mixed["itemCodes"]?.array.compactMap(\.string).contains("ML-UNKNOWN") == true)
            let id = try #require(mixed["id"]?.int)
            let detail = try await client.execute(uri: "/api/v1/ops/messages/\(id)", method: .get, headers: ops)
            let results = detail.json["results"]!.array
            #expect(results.map { $0["status"]?.string ?? "" } == ["accepted", "held", "rejected"])
            #expect(results[1]["reviewId"]?.int != nil)
            #expect(results[2]["errors"]?[0]["code"]?.string == "invalid_check_digit")
            #expect(results[2]["errors"]?[0]["path"]?.string == "records[2].party.idNumber")

            let refused = batches[4]
            #expect(refused["status"]?.string == "refused" && refused["summary"]?["records"]?.int == 0)
            let refusedDetail = try await client.execute(uri: "/api/v1/ops/messages/\(refused["id"]!.int!)", method: .get, headers: ops).json
            let refusal = try #require(refusedDetail["errors"]?[0])
            #expect(!(refusal["code"]?.string ?? "").isEmpty && refusal["path"] != nil, "\(refusal)")
            #expect(batches[3]["status"]?.string == "rejected" && batches[3]["batchId"]?.string == "ML-B2")
            #expect(batches[1]["status"]?.string == "refused" && batches[1]["kind"]?.string == "records")
            #expect(batches[0]["errorCodes"]?[0].string == "bad_signature")
            // Nothing of a body is kept: not the forged one's content, not any record.
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM message_log WHERE answers::text LIKE '%do-not-log%' OR batch_errors::text LIKE '%do-not-log%'"
                ) == 0
            )

            // The console: the list, the batch with its answers and the reason, a link to the accepted record's page.
            let session = try await console.signIn(client, "alice")
            let (status, page) = try await console.get(client, "/console/messages?status=rejected", session)
            #expect(status == .ok)
            #expect(page.contains("报送日志") && page.contains("ML-B1") && page.contains("ML-B2") && !page.contains("ML-B3"))
            let (_, one) = try await console.get(client, "/console/messages/\(id)", session)
            #expect(one.contains("invalid_check_digit") && one.contains("records[2].party.idNumber"))
            #expect(
                one.contains("/console/records?department=HY-SCJG&amp;localId=ML-1")
                    || one.contains("/console/records?department=HY-SCJG&localId=ML-1")
            )
            #expect(one.contains("/console/reviews/"))
            #expect(!one.contains("localId=ML-3"), "a rejected record has no record page to link to")
            let (missing, _) = try await console.get(client, "/console/messages/999999", session)
            #expect(missing == .notFound)
        }
    }

    /// 120 batches over three departments and ten days, every fifth with a rejected record, straight into the table.
    static func seed(_ db: HubDatabase) async throws {
        try await db.client.query(
            """
            INSERT INTO message_log (received_at, direction, kind, department, system, format, body_bytes, batch_id, status,
                record_count, accepted, held, rejected, error_code, error_codes, item_codes, answers)
            SELECT timestamptz '2026-11-01 12:00:00+08' + (i % 10) * interval '1 day' + i * interval '1 minute', 'push', 'records',
                   (ARRAY['HY-SCJG', 'HY-WJ', 'HY-ZRZY'])[i % 3 + 1], 'key-' || (i % 3), 'json', 1000 + i, 'SEED-' || lpad(i::text, 4, '0'),
                   CASE WHEN i % 5 = 0 THEN 'rejected' WHEN i % 7 = 0 THEN 'held' ELSE 'accepted' END,
                   2, CASE WHEN i % 5 = 0 THEN 1 ELSE 2 END, CASE WHEN i % 7 = 0 AND i % 5 <> 0 THEN 1 ELSE 0 END, CASE WHEN i % 5 = 0 THEN 1 ELSE 0 END,
                   CASE WHEN i % 5 = 0 THEN (CASE WHEN i % 2 = 0 THEN 'invalid_check_digit' ELSE 'too_few_inspectors' END) END,
                   CASE WHEN i % 5 = 0 THEN ARRAY[CASE WHEN i % 2 = 0 THEN 'invalid_check_digit' ELSE 'too_few_inspectors' END] ELSE '{}' END,
                   ARRAY['ITEM-' || (i % 4)], '[]'::jsonb
            FROM generate_series(1, 120) AS i
            """,
            logger: db.logger
        )
    }

    @Test("filters by department, status, error code, item, date range and batch id, keyset pages and scope return the right rows")
    func filtersAndPaging() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await Self.users(hub)
            _ = try await hub.addDepartment(code: "HY-ZRZY", name: "衡阳市自然资源和规划局")
            try await Self.seed(hub.db)
            let ops = try await opsLogin(client, "alice")
            func ids(_ query: String) async throws -> [Int] {
                var all: [Int] = []
                var after: Int? = nil
                repeat {
                    let uri = "/api/v1/ops/messages?limit=7&" + query + (after.map { "&after=\($0)" } ?? "")
                    let r = try await client.execute(uri: uri, method: .get, headers: ops)
                    #expect(r.status == .ok, "\(uri): \(String(buffer: r.body))")
                    all += r.json["messages"]!.array.compactMap { $0["id"]?.int }
                    after = r.json["next"]?.int
                } while after != nil
                return all
            }
            func expected(_ condition: String) async throws -> [Int] {
                var found: [Int] = []
                for try await id in try await hub.db.client.query(
                    PostgresQuery(unsafeSQL: "SELECT id::int FROM message_log WHERE \(condition) ORDER BY received_at DESC, id DESC"),
                    logger: hub.db.logger
                ).decode(Int.self) { found.append(id) }
                return found
            }
            let every = try await ids("")
            #expect(every.count == 120 && Set(every).count == 120, "every batch once across the pages")
            #expect(every == (try await expected("true")))
            #expect(try await ids("department=HY-WJ") == (try await expected("department = 'HY-WJ'")))
            #expect(try await ids("status=rejected") == (try await expected("status IN ('rejected', 'refused')")))
            #expect(try await ids("status=held").count == (try await expected("held > 0")).count)
            #expect(try await ids("error=too_few_inspectors") == (try await expected("'too_few_inspectors' = ANY(error_codes)")))
            #expect(try await ids("item=ITEM-2") == (try await expected("'ITEM-2' = ANY(item_codes)")))
            let range = try await ids("from=2026-11-03&to=2026-11-04")
            #expect(!range.isEmpty)
            #expect(range == (try await expected("received_at >= '2026-11-03 00:00+08' AND received_at < '2026-11-05 00:00+08'")))
            let combined = try await ids("department=HY-SCJG&status=rejected&from=2026-11-02&to=2026-11-08")
            #expect(
                combined
                    == (try await expected(
                        "department = 'HY-SCJG' AND status IN ('rejected', 'refused') AND received_at >= '2026-11-02 00:00+08' AND received_at < '2026-11-09 00:00+08'"
                    ))
            )
            #expect(try await ids("batch=SEED-001") == (try await expected("batch_id LIKE 'SEED-001%'")))
            #expect(try await ids("batch=SEED_") == [], "a LIKE wildcard in the search is a plain character")
            let bad = try await client.execute(uri: "/api/v1/ops/messages?status=lost", method: .get, headers: ops)
            #expect(bad.status == .badRequest && bad.json["errors"]?[0]["path"]?.string == "status")
            #expect(try await client.execute(uri: "/api/v1/ops/messages?from=2026-13-01", method: .get, headers: ops).status == .badRequest)
            // A filter longer than the spec allows is refused (found by Schemathesis: it answered 200 before).
            let long = try await client.execute(uri: "/api/v1/ops/messages?item=" + String(repeating: "0", count: 65), method: .get, headers: ops)
            #expect(long.status == .badRequest && String(buffer: long.body).contains("\"path\":\"item\""))

            // Scope: a 卫健委 account sees only its batches, and another department's batch is not found.
            let wj = try await opsLogin(client, "wjstaff")
            let scoped = try await client.execute(uri: "/api/v1/ops/messages?limit=500", method: .get, headers: wj)
            #expect(scoped.json["messages"]!.array.allSatisfy { $0["department"]?.string == "HY-WJ" })
            #expect(scoped.json["messages"]!.array.count == 40)
            let other = try #require(try await expected("department = 'HY-SCJG'").first)
            #expect(try await client.execute(uri: "/api/v1/ops/messages/\(other)", method: .get, headers: wj).status == .notFound)
            let session = try await console.signIn(client, "wjstaff")
            let (_, page) = try await console.get(client, "/console/messages", session)
            #expect(page.contains("衡阳市卫生健康委员会 · HY-WJ</td>") && !page.contains("衡阳市市场监督管理局 · HY-SCJG</td>"))
            let (hidden, _) = try await console.get(client, "/console/messages/\(other)", session)
            #expect(hidden == .notFound)

            // Console paging: 50 a page, a 下一页 link carrying the filter and the cursor; 120 batches are 50 + 50 + 20.
            let alice = try await console.signIn(client, "alice")
            var link = "/console/messages?status=accepted&from=2026-10-01"
            var shown: [Int] = []
            for _ in 0..<5 {
                let (_, html) = try await console.get(client, link, alice)
                shown += html.matches(of: /href="\/console\/messages\/([0-9]+)"/).compactMap { Int($0.1) }
                guard let next = html.firstMatch(of: /href="([^"]+)" id="page-next"/) else { break }
                link = String(next.1).replacingOccurrences(of: "&amp;", with: "&")
                #expect(link.contains("status=accepted") && link.contains("from=2026-10-01") && link.contains("after="))
            }
            let want = try await expected("status = 'accepted' AND received_at >= '2026-10-01 00:00+08'")
            #expect(want.count > 50 && want.count <= 100, "two pages")
            #expect(shown == want)
            let (_, all) = try await console.get(client, "/console/messages", alice)
            #expect(all.matches(of: /href="\/console\/messages\/([0-9]+)"/).count == 50 && all.contains("id=\"page-next\""))
            let (refused, _) = try await console.get(client, "/console/messages?status=lost", alice)
            #expect(refused == .badRequest, "a filter value outside its list is a 400 page (ListQuery)")
        }
    }

    @Test("the filtered list exports as CSV with a byte-order mark and as XLSX that openpyxl reads")
    func exports() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await Self.users(hub)
            _ = try await hub.addDepartment(code: "HY-ZRZY", name: "衡阳市自然资源和规划局")
            try await Self.seed(hub.db)
            let session = try await console.signIn(client, "alice")
            let csv = try await client.execute(uri: "/console/messages/export.csv?status=rejected", method: .get, headers: [.cookie: session.cookie])
            #expect(csv.status == .ok)
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM for Excel")
            let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(whereSeparator: \.isNewline)
            #expect(lines.count == 1 + 24, "the header and the 24 rejected batches")
            #expect(lines.first?.contains("接收时间") == true)
            let xlsx = try await client.execute(
                uri: "/console/messages/export.xlsx?department=HY-WJ",
                method: .get,
                headers: [.cookie: session.cookie]
            )
            #expect(xlsx.status == .ok)
            let rows = try CatalogClaimTests.readXLSX(Array(xlsx.body.readableBytesView))
            #expect(rows.count == 1 + 40)
            #expect(rows.first?.first == "编号")
            #expect(rows.dropFirst().allSatisfy { $0[3] == "HY-WJ" })
        }
    }

    @Test("retention clears the answers and reasons of old batches and keeps their counts and codes")
    func retention() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await Self.users(hub)
            let body = SampleRecords.batch([Self.record(t, "RT-1"), Self.record(t, "RT-2", uscc: "91330105MA2KER1H4M")], batchId: "RT-B1")
            #expect(try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg).status == .ok)
            #expect(
                try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([Self.record(t, "RT-3")], batchId: "RT-B2"), as: t.scjg)
                    .status == .ok
            )
            try await hub.db.client.query(
                "UPDATE message_log SET received_at = now() - interval '200 days' WHERE batch_id = 'RT-B1'",
                logger: hub.db.logger
            )
            let store = MessageLogStore(db: hub.db)
            #expect(try await store.prune(before: Date().addingTimeInterval(-180 * 86_400)) == 1)
            #expect(try await store.prune(before: Date().addingTimeInterval(-180 * 86_400)) == 0, "pruned once")
            let old = try #require(try await store.list(MessageLogFilter(batchId: "RT-B1")).batches.first)
            let detail = try #require(try await store.batch(old.id))
            #expect(detail.prunedAt != nil && detail.answers.isEmpty)
            #expect(detail.recordCount == 2 && detail.accepted == 1 && detail.rejected == 1 && detail.errorCodes == ["invalid_check_digit"])
            let recent = try #require(try await store.list(MessageLogFilter(batchId: "RT-B2")).batches.first)
            #expect(try await store.batch(recent.id)?.answers.count == 1, "inside the retention: kept")
            #expect(try await store.list(MessageLogFilter(errorCode: "invalid_check_digit")).batches.map(\.id) == [old.id], "still found by its code")
            let session = try await console.signIn(client, "alice")
            let (_, page) = try await console.get(client, "/console/messages/\(old.id)", session)
            #expect(page.contains("id=\"pruned\""))
        }
    }

    @Test("a batch the hub pulled from a department's system is logged as pulled, with the pull as its system")
    func pulledBatch() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: nil)
        let records = (0..<3).map { i in try! JSONParser().parse(Array(Self.record(t, "MLP-\(i)").utf8)) }
        await platform.addDepartmentRecords(records, department: "HY-SCJG")
        try await TestProvince.serve(platform) { url in
            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            let target = DepartmentPullService.Target(
                department: "HY-SCJG",
                checkpoint: "pull:HY-SCJG:0",
                source: .init(url: "\(url)/dept/HY-SCJG/records", format: "json", token: "dept-token", pageSize: 2),
                interval: .seconds(60)
            )
            try await hub.db.withRunning { db async throws in
                #expect(await DepartmentPullService(hub: hub).pull(target) == 3)
                let page = try await MessageLogStore(db: db).list(MessageLogFilter(direction: .pull))
                #expect(page.batches.count == 2, "two pages of 2 and 1")
                #expect(page.batches.allSatisfy { $0.system == "pull:HY-SCJG:0" && $0.department == "HY-SCJG" && $0.status == .accepted })
                #expect(page.batches.map(\.recordCount).sorted() == [1, 2])
            }
        }
    }
}
