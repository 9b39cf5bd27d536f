import Foundation
import HTTPTypes
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import PostgresNIO
import ProvinceSimulator
import Supervision
import Testing

/// Claims (认领发布) and the city and county lists over signed HTTP, the ops API, the console and PostgreSQL: claim →
/// refusals → approval by a second person (one's own refused) → published implementation item → adjusted →
/// withdrawn (retired), a ledger entry per step, each version delivered to the province exactly once through an
/// unreliable simulator; the lists' CSV and XLSX (read back with openpyxl).
@Suite("Catalog claims and lists", .serialized)
struct CatalogClaimTests {
    static let city = "11430400013248734H"
    static let county = "1143042102405859X2"
    static let item = "43012100010001"

    static func code(_ r: TestResponse) -> String { r.json["errors"]?[0]["code"]?.string ?? "" }

    static func claimBody(_ action: String = "claim", agency: String = city, level: Int? = 3, item: String = item, extra: String = "") -> String {
        var members = [#""action":"\#(action)""#, #""catalogCode":"\#(item)""#, #""agencyCode":"\#(agency)""#]
        if let level { members.append(#""level":\#(level)"#) }
        if action != "withdraw" {
            members += [#""checkContent":"许可条件保持情况、进货查验记录""#, #""checkMethod":"现场检查""#, #""checkFrequency":"每年不少于一次""#]
        }
        if !extra.isEmpty { members.append(extra) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func ops(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        _ user: HTTPFields,
        body: String = ""
    )
        async throws -> TestResponse
    {
        try await client.execute(uri: path, method: method, headers: user, body: body.isEmpty ? nil : ByteBuffer(string: body))
    }

    @Test("claim → refusals → approved by another person → published → adjusted → withdrawn; delivered once; the lists export")
    func lifecycle() async throws {
        let t = try await TestHub.make()
        let platform = try TestProvince.unreliablePlatform()
        try await TestProvince.serve(platform) { url in
            try await t.serve { client, hub in
                try await ConsoleTests().users(hub)
                let review = ReviewWorkflowTests()
                let bob = try await review.login(client, "bob")
                let dave = try await review.login(client, "dave")

                // Refusals, each with its path and stable code; none writes anything.
                let unknown = try await client.signed(.post, "/api/v1/catalog/claims", body: Self.claimBody(item: "43999999999999"), as: t.scjg)
                #expect(unknown.status == .badRequest && Self.code(unknown) == "unknown_catalog_item")
                let mismatch = try await client.signed(.post, "/api/v1/catalog/claims", body: Self.claimBody(level: 4), as: t.scjg)
                #expect(mismatch.status == .badRequest && Self.code(mismatch) == "region_level_mismatch")
                let foreign = try await client.signed(.post, "/api/v1/catalog/claims", body: Self.claimBody(), as: t.wj)
                #expect(foreign.status == .badRequest && Self.code(foreign) == "agency_not_of_department")
                let badAction = try await client.signed(.post, "/api/v1/catalog/claims", body: #"{"action":"take"}"#, as: t.scjg)
                #expect(badAction.status == .badRequest && Self.code(badAction) == "invalid_action")
                let noDetails = try await client.signed(
                    .post,
                    "/api/v1/catalog/claims",
                    body: #"{"action":"claim","catalogCode":"\#(Self.item)","agencyCode":"\#(Self.city)","level":3}"#,
                    as: t.scjg
                )
                #expect(noDetails.status == .badRequest && noDetails.json["errors"]?.array.count == 3)
                let noClaim = try await client.signed(
                    .post,
                    "/api/v1/catalog/claims",
                    body: Self.claimBody("withdraw", extra: #""reason":"x""#),
                    as: t.scjg
                )
                #expect(noClaim.status == .notFound && Self.code(noClaim) == "claim_not_found")
                #expect(try await count(hub.db, "SELECT count(*)::int FROM catalog_claims") == 0)

                // The department claims; a second claim of the same item by the same agency is refused.
                let claimed = try await client.signed(.post, "/api/v1/catalog/claims", body: Self.claimBody(), as: t.scjg)
                #expect(claimed.status == .created, "\(claimed.json)")
                let id = try #require(claimed.json["claim"]?["claimId"]?.int)
                #expect(claimed.json["claim"]?["status"]?.string == "proposed" && claimed.json["claim"]?["regionCode"]?.string == "430400")
                let twice = try await client.signed(.post, "/api/v1/catalog/claims", body: Self.claimBody(), as: t.scjg)
                #expect(twice.status == .conflict && Self.code(twice) == "claim_exists")

                // Claimed but unpublished shows in the ops lists.
                let waiting = try await Self.ops(client, .get, "/api/v1/ops/catalog/claims?status=proposed", bob)
                #expect(waiting.json["claims"]?.array.count == 1)
                let unclaimedBefore = try await Self.ops(client, .get, "/api/v1/ops/catalog/unclaimed?department=HY-SCJG", bob)
                let pendingRow = unclaimedBefore.json["items"]?.array.first {
                    $0["agencyCode"]?.string == Self.city && $0["catalogCode"]?.string == Self.item
                }
                #expect(pendingRow?["claimPending"] == .bool(true))
                let totalBefore = unclaimedBefore.json["total"]?.int ?? 0
                #expect(totalBefore > 0)

                // Ops proposes a county claim for the department; the proposer may not approve it (four eyes).
                let countyClaim = try await Self.ops(
                    client,
                    .post,
                    "/api/v1/ops/catalog/claims",
                    dave,
                    body: Self.claimBody(agency: Self.county, level: 4, extra: #""department":"HY-SCJG""#)
                )
                #expect(countyClaim.status == .created, "\(countyClaim.json)")
                let countyId = try #require(countyClaim.json["claim"]?["claimId"]?.int)
                let own = try await Self.ops(client, .post, "/api/v1/ops/catalog/claims/\(countyId)/approve", dave)
                #expect(own.status == .forbidden && Self.code(own) == "own_claim_proposal")
                let county = try await Self.ops(client, .post, "/api/v1/ops/catalog/claims/\(countyId)/approve", bob)
                #expect(county.status == .ok && county.json["claim"]?["status"]?.string == "published")

                // Another person approves the department's claim: published with the next free sequence (the
                // imported implementation item holds 01).
                let approved = try await Self.ops(client, .post, "/api/v1/ops/catalog/claims/\(id)/approve", dave)
                #expect(approved.status == .ok, "\(approved.json)")
                let implementation = Self.city + "3" + Self.item + "02"
                #expect(approved.json["claim"]?["implementationCode"]?.string == implementation)
                #expect(
                    try await count(hub.db, "SELECT count(*)::int FROM implementation_current WHERE code = '\(implementation)' AND status = 'active'")
                        == 1
                )
                // The department catalog API (GET /api/v1/catalog) lists it like any implementation item.
                let catalog = try await client.signed(.get, "/api/v1/catalog?level=3&limit=5000", as: t.scjg).json["items"]?.array ?? []
                #expect(catalog.contains { $0["implementationCode"]?.string == implementation && $0["status"]?.string == "active" })
                let unclaimedAfter = try await Self.ops(client, .get, "/api/v1/ops/catalog/unclaimed?department=HY-SCJG", bob)
                #expect(unclaimedAfter.json["total"]?.int == totalBefore - 2, "the two published claims left the list")

                // Adjusted (a new version), then withdrawn (a retired version), each reviewed by a second person.
                let adjust = try await client.signed(
                    .post,
                    "/api/v1/catalog/claims",
                    body: Self.claimBody("adjust", level: nil).replacingOccurrences(of: "每年不少于一次", with: "每半年一次"),
                    as: t.scjg
                )
                #expect(adjust.status == .ok && adjust.json["claim"]?["status"]?.string == "adjustment_proposed")
                let noReason = try await Self.ops(client, .post, "/api/v1/ops/catalog/claims/\(id)/reject", bob, body: "{}")
                #expect(noReason.status == .badRequest && Self.code(noReason) == "reason_required")
                #expect(try await Self.ops(client, .post, "/api/v1/ops/catalog/claims/\(id)/approve", bob).status == .ok)
                let withdraw = try await client.signed(
                    .post,
                    "/api/v1/catalog/claims",
                    body: Self.claimBody("withdraw", level: nil, extra: #""reason":"职能划转""#),
                    as: t.scjg
                )
                #expect(withdraw.status == .ok && withdraw.json["claim"]?["status"]?.string == "withdrawal_proposed")
                let withdrawn = try await Self.ops(client, .post, "/api/v1/ops/catalog/claims/\(id)/approve", bob)
                #expect(withdrawn.json["claim"]?["status"]?.string == "withdrawn")
                #expect(try await count(hub.db, "SELECT max(version)::int FROM implementation_items WHERE code = '\(implementation)'") == 3)
                #expect(
                    try await count(
                        hub.db,
                        "SELECT count(*)::int FROM implementation_current WHERE code = '\(implementation)' AND status = 'retired'"
                    ) == 1
                )
                let done = try await Self.ops(client, .post, "/api/v1/ops/catalog/claims/\(id)/approve", bob)
                #expect(done.status == .conflict && Self.code(done) == "claim_step_out_of_order")

                // A ledger entry per step: city claimed, adjustment, withdrawal, three approvals; county claimed, approved.
                #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'catalog_claim'") == 8)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM catalog_claim_steps") == 8)

                // Delivered to the province through faults, each version once, also after a redelivery.
                let settings = TestProvince.settings(url: url)
                for round in 1...2 {
                    if round == 2 {
                        // As if every answer had been lost: the rows go out again.
                        try await hub.db.client.query(
                            "UPDATE outbox SET state = 'pending', next_attempt_at = now() WHERE kind = 'catalog_claim'",
                            logger: hub.db.logger
                        )
                    }
                    let delivery = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
                    #expect(try await TestProvince.deliver([delivery], settings: settings, databaseURL: t.databaseURL))
                    let received = try await SupervisionExchangeTests.get(url + "/sim/catalog-claims")
                    let rows = received["deliveries"]?.array ?? []
                    #expect(rows.count == 4, "publish, adjust, withdraw of the city claim and the county claim: \(rows.count)")
                    #expect(
                        received["actions"]?["publish"]?.int == 2 && received["actions"]?["adjust"]?.int == 1
                            && received["actions"]?["withdraw"]?.int == 1
                    )
                    let keys = rows.map { ($0["localId"]?.string ?? "") + "#" + String($0["version"]?.int ?? 0) }
                    #expect(Set(keys).count == keys.count, "no version twice")
                    #expect((try await SupervisionExchangeTests.get(url + "/sim/stats")).n("acceptedTwice") == 0)
                }

                // The county list (衡阳县) as CSV and XLSX, from the published county claim.
                let console = ConsoleTests()
                let carol = try await console.signIn(client, "carol")
                let (status, page) = try await console.get(client, "/console/catalog/lists?level=4&region=430421", carol)
                #expect(status == .ok && page.contains("衡阳县县级监管事项目录清单") && page.contains(Self.item))
                let row = "<td data-label=\"实施主体\">衡阳县市场监督管理局</td>"
                #expect(page.contains("<th>实施主体</th>") && page.contains(row), "the table with its header and the row")
                let (claimsStatus, claimsPage) = try await console.get(client, "/console/catalog/claims?department=HY-SCJG", carol)
                #expect(claimsStatus == .ok && claimsPage.contains("claims-unclaimed") && claimsPage.contains("已发布"))
                let csv = try await client.execute(
                    uri: "/console/catalog/lists/export.csv?level=4&region=430421",
                    method: .get,
                    headers: [.cookie: carol.cookie]
                )
                let text = String(buffer: csv.body)
                #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && text.hasPrefix("\u{FEFF}序号,事项名称,目录编码"))
                let lines = text.split(whereSeparator: \.isNewline)
                #expect(lines.count == 2 && lines[1].hasPrefix("1,对食品生产者的监督检查,\(Self.item),子项,行政检查,"), "\(lines)")
                let cityCSV = try await client.execute(
                    uri: "/console/catalog/lists/export.csv?level=3",
                    method: .get,
                    headers: [.cookie: carol.cookie]
                )
                #expect(String(buffer: cityCSV.body).split(whereSeparator: \.isNewline).count == 1, "the withdrawn city claim is not listed")
                let xlsx = try await client.execute(
                    uri: "/console/catalog/lists/export.xlsx?level=4&region=430421",
                    method: .get,
                    headers: [.cookie: carol.cookie]
                )
                #expect(xlsx.headers[.contentDisposition]?.contains("county-list-430421.xlsx") == true)
                let cells = try Self.readXLSX(Array(xlsx.body.readableBytesView))
                #expect(cells.first == CatalogList.header, "\(cells)")
                #expect(cells.count == 2 && cells[1][2] == Self.item && cells[1][6] == "衡阳县市场监督管理局" && cells[1][8] == "县级" && cells[1][9] == "衡阳县")
            }
        }
    }

    @Test("the console: a reviewer proposes for a department, cannot approve their own, a second approver publishes; scopes hold")
    func console() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let console = ConsoleTests()
            try await console.users(hub)
            try await hub.opsUsers.add(
                username: "erin",
                displayName: "erin",
                password: "correct horse battery",
                roles: [.reviewer, .approver],
                departments: ["HY-WJ"]
            )
            let dave = try await console.signIn(client, "dave")
            let form =
                "action=claim&department=HY-SCJG&catalogCode=\(Self.item)&agencyCode=\(Self.county)&level=4"
                + "&checkContent=%E7%8E%B0%E5%9C%BA&checkMethod=%E6%A3%80%E6%9F%A5&checkFrequency=%E6%AF%8F%E5%B9%B4"
            let proposed = try await console.post(client, "/console/catalog/claims", dave, form)
            #expect(proposed.status == .seeOther)
            let (_, page) = try await console.get(client, "/console/catalog/claims?department=HY-SCJG", dave)
            #expect(page.contains("flash-claim-proposed") && page.contains("须由另一人审核") && !page.contains("claim-approve"))
            let id = try await count(hub.db, "SELECT max(id)::int FROM catalog_claims")
            let own = try await console.post(client, "/console/catalog/claims/\(id)", dave, "action=approve")
            #expect(own.status == .forbidden && ConsoleTests.text(own).contains("双人复核"))

            // A refused form comes back with the reasons beside the fields.
            let twice = try await console.post(client, "/console/catalog/claims", dave, form)
            #expect(twice.status == .conflict && ConsoleTests.text(twice).contains("claim-errors"))

            // A user scoped to another department sees neither the claim nor the department's unclaimed items.
            let erin = try await console.signIn(client, "erin")
            let (_, scoped) = try await console.get(client, "/console/catalog/claims?department=HY-SCJG", erin)
            #expect(!scoped.contains(Self.county) && !scoped.contains("claims-unclaimed"))
            #expect(try await console.post(client, "/console/catalog/claims/\(id)", erin, "action=approve").status == .notFound)
            let login = try await ReviewWorkflowTests().login(client, "erin")
            let unclaimed = try await Self.ops(client, .get, "/api/v1/ops/catalog/unclaimed?department=HY-SCJG", login)
            #expect(unclaimed.status == .notFound && Self.code(unclaimed) == "unknown_department")

            let bob = try await console.signIn(client, "bob")
            let approved = try await console.post(client, "/console/catalog/claims/\(id)", bob, "action=approve")
            #expect(approved.status == .seeOther)
            let (_, after) = try await console.get(client, "/console/catalog/claims", bob)
            #expect(after.contains(Self.county + "4" + Self.item + "02"), "published with the next sequence after the imported 01")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'catalog_claim'") == 2)
        }
    }

    /// Reads a workbook's first sheet with openpyxl (a reader library, not the hub's own), as rows of strings.
    static func readXLSX(_ bytes: [UInt8]) throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-list-\(UUID().uuidString).xlsx")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            """
            import json, sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1], read_only=True).worksheets[0]
            print(json.dumps([["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)], ensure_ascii=False))
            """,
            file.path,
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ReaderFailed(status: process.terminationStatus) }
        return try JSONDecoder().decode([[String]].self, from: data)
    }

    struct ReaderFailed: Error { var status: Int32 }
}
