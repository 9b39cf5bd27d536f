import AsyncHTTPClient
import Exchange
import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import ProvinceSimulator
import Testing

/// Items set by local legislation (地方立法设立的监管事项) over real HTTP and PostgreSQL against the simulator:
/// registered, approved by a second person, sent to the province; a department's local item mapped to the
/// provisional code has its records held; the province codes the item on its catalog feed; after the hub's pull the
/// mapping names the provincial code and the held records reach the province with it, exactly once.
@Suite("Locally set items (地方设立事项)", .serialized)
struct LocalItemTests {
    static let agency = "11430400013248734H"
    static let basis = "《湖南省食品生产加工小作坊和食品摊贩管理办法》第二十条"
    static let provincialCode = "43012100990000"

    static let registration = """
        {"department":"HY-SCJG","name":"对食品生产加工小作坊的监督检查","itemType":"行政检查","catalogDepartment":"市场监管",\
        "legalBasis":"\(basis)","levels":"3|4","regionCode":"430400","agencies":["\(agency)"]}
        """

    static func record(_ id: String) -> String {
        SampleRecords.inspection(localId: id, catalogCode: nil, implementationCode: nil, agencyCode: agency, localCode: "SCJG-XZF-1")
            .replacingOccurrences(of: "\"localName\":\"药品零售企业监督检查\"", with: "\"localName\":\"小作坊日常检查\"")
            .replacingOccurrences(of: "\"legalBasis\":\"《中华人民共和国药品管理法》第九十九条\"", with: "\"legalBasis\":\"\(basis)\"")
    }

    /// The record versions the province accepted, by localId (rows of other kinds — `local_item:…`,
    /// `portal_publication:…` — left out).
    static func acceptedRecords(_ url: String) async throws -> [String: Int] {
        guard case .object(let members) = try await SupervisionExchangeTests.get(url + "/sim/accepted") else { return [:] }
        var out: [String: Int] = [:]
        for (key, versions) in members {
            let localId = String(key.split(separator: "|").last ?? "")
            if !localId.contains(":") { out[localId] = versions.arrayValue?.count ?? 0 }
        }
        return out
    }

    func post(_ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields, _ body: String = "{}") async throws -> TestResponse {
        try await BulletinTests().post(client, path, headers, body)
    }

    @Test(
        "register → own approval refused → approved and delivered; a mapped local item's records held; the province codes it; after the pull they are delivered with the provincial code, once"
    )
    func codedByTheProvince() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: TestProvince.catalogCSV)
        try await TestProvince.serve(platform) { url in
            let provisional = try await t.serve { client, hub in
                try await ConsoleTests().users(hub)
                let bob = try await opsLogin(client, "bob")
                let dave = try await opsLogin(client, "dave")
                #expect(
                    try await post(client, "/api/v1/ops/local-items", bob, Self.registration).status == .forbidden,
                    "an approver alone does not register"
                )
                let bad = try await post(
                    client,
                    "/api/v1/ops/local-items",
                    dave,
                    Self.registration.replacingOccurrences(of: Self.basis, with: "地方规定")
                )
                #expect(bad.status == .badRequest)
                #expect(bad.json["errors"]?[0]["path"]?.string == "legalBasis")
                #expect(bad.json["errors"]?[0]["code"]?.string == "no_citation")
                let foreign = try await post(
                    client,
                    "/api/v1/ops/local-items",
                    dave,
                    Self.registration.replacingOccurrences(of: Self.agency, with: "12430400MB1234567X")
                )
                #expect(foreign.status == .conflict || foreign.status == .badRequest)

                let registered = try await post(client, "/api/v1/ops/local-items", dave, Self.registration)
                #expect(registered.status == .created)
                let id = try #require(registered.json["id"]?.int)
                let provisional = try #require(registered.json["provisionalCode"]?.string)
                #expect(provisional.hasPrefix("L430400") && provisional.count == 14)
                #expect(registered.json["status"]?.string == "proposed")
                #expect(registered.json["legalRefs"]?.array.map(\.string) == ["《湖南省食品生产加工小作坊和食品摊贩管理办法》第20条"])

                let own = try await post(client, "/api/v1/ops/local-items/\(id)/approve", dave)
                #expect(own.status == .forbidden)
                #expect(own.json["errors"]?[0]["code"]?.string == "own_local_item")
                let approved = try await post(client, "/api/v1/ops/local-items/\(id)/approve", bob)
                #expect(approved.status == .ok)
                #expect(approved.json["status"]?.string == "sent")
                #expect(try await post(client, "/api/v1/ops/local-items/\(id)/approve", bob).status == .conflict, "approved once")
                let listed = try await client.execute(uri: "/api/v1/ops/local-items?status=sent", method: .get, headers: bob)
                #expect(listed.json["localItems"]?.array.map { $0["provisionalCode"]?.string } == [provisional])

                // A department record of its local item: no catalog item shares the local regulation, so it waits for review.
                let first = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([Self.record("XZF-1")]), as: t.scjg)
                #expect(first.json["summary"]?["held"]?.int == 1)
                let reviewId = try #require(first.json["results"]?[0]["reviewId"]?.int)
                // The review maps it to the provisional item (four eyes as any decision); an implementation code is refused.
                let withImplementation = try await post(
                    client,
                    "/api/v1/ops/reviews/\(reviewId)/decide",
                    dave,
                    #"{"relationship":"equivalent","catalogCode":"\#(provisional)","implementationCode":"11430400013248734H34301210001000001","reason":"地方设立事项"}"#
                )
                #expect(withImplementation.json["errors"]?[0]["code"]?.string == "no_implementation_yet")
                let decided = try await post(
                    client,
                    "/api/v1/ops/reviews/\(reviewId)/decide",
                    dave,
                    #"{"relationship":"equivalent","catalogCode":"\#(provisional)","reason":"本地小作坊检查即该地方设立事项"}"#
                )
                #expect(decided.json["status"]?.string == "pending_approval", "\(decided.json)")
                let released = try await post(client, "/api/v1/ops/reviews/\(reviewId)/approve", bob)
                #expect(released.json["stillHeld"]?.int == 1, "\(released.json)")
                let second = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([Self.record("XZF-2")]), as: t.scjg)
                #expect(second.json["summary"]?["held"]?.int == 1)
                #expect(
                    try await count(
                        hub.db,
                        "SELECT count(*)::int FROM review_items WHERE local_code = 'SCJG-XZF-1' AND status = 'open' AND reason = 'awaiting_provincial_code'"
                    ) == 1
                )
                #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE status = 'held'") == 2)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE catalog_code LIKE 'L%'") == 0)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'local_item'") == 2, "proposed, approved")
                return provisional
            }

            // Delivered: the province holds the item under its provisional code, and no record.
            let delivery = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([delivery], settings: TestProvince.settings(url: url), databaseURL: t.databaseURL))
            let received = try await SupervisionExchangeTests.get(url + "/sim/local-items")
            #expect(received[provisional]?["legalBasis"]?.string == Self.basis)
            #expect(try await Self.acceptedRecords(url).isEmpty, "no record before the provincial code")

            // The province codes it; the feed names the provisional code it replaces.
            var request = HTTPClientRequest(url: url + "/sim/catalog/code-local?provisionalCode=\(provisional)&code=\(Self.provincialCode)")
            request.method = .POST
            let coding = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(coding.status == .ok)

            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            try await hub.db.withRunning { _ async throws in
                let service = ProvincePullService(
                    hub: hub,
                    client: ProvinceClient(configuration: TestProvince.settings(url: url, timeout: ProvincePullTests.pullTimeout).province!)
                )
                await service.pullOnce()
                let pullError = try await ProvincePullTests.lastError(hub, ProvincePullService.catalogFeed)
                #expect(pullError.isEmpty, "the catalog pull failed: \(pullError)")
                #expect(
                    try await count(
                        hub.db,
                        "SELECT count(*)::int FROM local_items WHERE provisional_code = '\(provisional)' AND status = 'coded' AND provincial_code = '\(Self.provincialCode)'"
                    ) == 1
                )
                #expect(try await count(hub.db, "SELECT count(*)::int FROM catalog_current WHERE code = '\(Self.provincialCode)'") == 1)
                #expect(
                    try await count(
                        hub.db,
                        "SELECT count(*)::int FROM item_mappings WHERE local_code = 'SCJG-XZF-1' AND status = 'confirmed' AND catalog_code = '\(Self.provincialCode)' AND rule = 'provincial-code'"
                    ) == 1
                )
                #expect(
                    try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE catalog_code = '\(provisional)' AND status = 'confirmed'")
                        == 0
                )
                #expect(
                    try await count(
                        hub.db,
                        "SELECT count(*)::int FROM records WHERE status = 'accepted' AND catalog_code = '\(Self.provincialCode)' AND implementation_code = '\(Self.agency)3\(Self.provincialCode)01'"
                    ) == 2
                )
                #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE status = 'held'") == 0)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM review_items WHERE local_code = 'SCJG-XZF-1' AND status <> 'closed'") == 0)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'local_item'") == 3, "proposed, approved, coded")
                // A second round reads nothing new and codes nothing again.
                await service.pullOnce()
                #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'local_item'") == 3)
                #expect(try await LedgerStore.verify(hub.db).ok)
            }
            // A pool runs once: the second delivery gets a context of its own.
            let again = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([again], settings: TestProvince.settings(url: url), databaseURL: t.databaseURL))
            let accepted = try await Self.acceptedRecords(url)
            #expect(accepted == ["XZF-1": 1, "XZF-2": 1], "each held record delivered once, with the provincial code the province checked")
            let stats = try await SupervisionExchangeTests.get(url + "/sim/stats")
            #expect(stats.n("acceptedTwice") == 0)
            #expect(stats.n("rejectedFinal") == 0)
        }
    }
}

/// The same registration in the console (目录 → 地方设立事项): a refused form keeps what was typed, the proposer cannot
/// approve, a second person sends it to the province.
@Suite("Locally set items in the console")
struct LocalItemConsoleTests {
    @Test("register in the console; a refusal keeps the text; the proposer cannot approve; another person sends it")
    func console() async throws {
        let t = try await TestHub.make()
        let console = ConsoleTests()
        try await t.serve { client, hub in
            try await console.users(hub)
            let alice = try await console.signIn(client, "alice")
            let bob = try await console.signIn(client, "bob")
            let (status, empty) = try await console.get(client, "/console/local-items", alice)
            #expect(status == .ok)
            #expect(empty.contains("还没有地方设立事项") && empty.contains("id=\"local-item-form\""))
            #expect(try await console.get(client, "/console/catalog", alice).1.contains("id=\"local-items-link\""))

            func form(_ basis: String) -> String {
                func e(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
                return "department=HY-SCJG&name=\(e("对食品生产加工小作坊的监督检查"))&itemType=\(e("行政检查"))&catalogDepartment=\(e("市场监管"))"
                    + "&legalBasis=\(e(basis))&parentCode=&levels=\(e("3|4"))&regionCode=430400&agencies=\(LocalItemTests.agency)"
            }
            let refused = try await console.post(client, "/console/local-items", alice, form("地方规定"))
            #expect(refused.status == .badRequest)
            let page = String(buffer: refused.body)
            #expect(page.contains("id=\"local-item-errors\"") && page.contains("设定依据"))
            #expect(page.contains("地方规定</textarea>"), "the basis typed is kept for correction")

            let accepted = try await console.post(client, "/console/local-items", alice, form(LocalItemTests.basis))
            #expect(accepted.status == .seeOther || accepted.status == .found)
            let item = try #require(try await hub.localItems.list(status: .proposed).first)
            #expect(item.provisionalCode.hasPrefix("L430400"))
            let (_, listed) = try await console.get(client, "/console/local-items", alice)
            #expect(listed.contains(item.provisionalCode) && listed.contains("待复核"))
            #expect(
                try await console.post(client, "/console/local-items/\(item.id)", alice, "").status == .forbidden,
                "a reviewer is not an approver"
            )
            let sent = try await console.post(client, "/console/local-items/\(item.id)", bob, "")
            #expect(sent.status == .seeOther || sent.status == .found)
            #expect(try await hub.localItems.item(item.id)?.status == .sent)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'local_item'") == 1)
        }
    }
}
