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

/// 监管动态 and 曝光台 on a live server: written by one person, published only when a second approves, public
/// without sign-in, withdrawn with a reason, and delivered to the provincial portals exactly once per step.
@Suite("Bulletins (监管动态, 曝光台)")
struct BulletinTests {
    func post(_ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields, _ body: String = "{}") async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(
        "propose → own approval refused → a second person publishes → public list and item → withdrawn and gone; each step a ledger entry; the portals get both once"
    )
    func newsLifecycle() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: TestProvince.catalogCSV)
        try await TestProvince.serve(platform) { url in
            let id = try await t.serve { client, hub in
                for (name, roles) in [("alice", [OpsUser.Role.reviewer]), ("bob", [.approver]), ("dave", [.reviewer, .approver])] {
                    try await hub.opsUsers.add(username: name, displayName: name, password: "correct horse battery", roles: Set(roles))
                }
                let alice = try await opsLogin(client, "alice")
                let bob = try await opsLogin(client, "bob")
                let dave = try await opsLogin(client, "dave")
                let draft = #"{"kind":"news","department":"HY-SCJG","title":"全市开展药品安全专项检查","body":"检查药品零售企业 120 家，责令整改 9 家。"}"#
                #expect(try await post(client, "/api/v1/ops/bulletins", bob, draft).status == .forbidden, "approver alone may not write")
                let proposed = try await post(client, "/api/v1/ops/bulletins", dave, draft)
                #expect(proposed.status == .created)
                #expect(proposed.json["status"]?.string == "proposed")
                let id = try #require(proposed.json["id"]?.int)

                // Nothing public before approval.
                #expect(try await client.execute(uri: "/public/v1/bulletins/\(id)", method: .get).status == .notFound)
                let own = try await post(client, "/api/v1/ops/bulletins/\(id)/approve", dave)
                #expect(own.status == .forbidden)
                #expect(own.json["errors"]?[0]["code"]?.string == "own_bulletin")
                #expect(try await post(client, "/api/v1/ops/bulletins/\(id)/approve", alice).status == .forbidden, "reviewer is not approver")

                let approved = try await post(client, "/api/v1/ops/bulletins/\(id)/approve", bob)
                #expect(approved.status == .ok)
                #expect(approved.json["status"]?.string == "published")
                #expect(approved.json["approvedBy"]?.string == "bob")
                #expect(try await post(client, "/api/v1/ops/bulletins/\(id)/approve", bob).status == .conflict, "published once")

                let list = try await client.execute(uri: "/public/v1/bulletins?kind=news", method: .get)
                #expect(list.status == .ok)
                #expect(list.json["items"]?.array.map { $0["title"]?.string } == ["全市开展药品安全专项检查"])
                #expect(list.json["items"]?[0]["departmentName"]?.string?.isEmpty == false)
                let item = try await client.execute(uri: "/public/v1/bulletins/\(id)", method: .get)
                #expect(item.status == .ok)
                #expect(item.json["proposedBy"] == nil, "the public side does not say who wrote it")
                #expect(try await client.execute(uri: "/public/v1/bulletins?kind=exposure", method: .get).json["items"]?.array.isEmpty == true)

                #expect(try await post(client, "/api/v1/ops/bulletins/\(id)/withdraw", bob, "{}").status == .badRequest, "a reason is required")
                let withdrawn = try await post(client, "/api/v1/ops/bulletins/\(id)/withdraw", bob, #"{"reason":"数据有误，更正后重发"}"#)
                #expect(withdrawn.status == .ok)
                #expect(withdrawn.json["status"]?.string == "withdrawn")
                #expect(try await client.execute(uri: "/public/v1/bulletins/\(id)", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/public/v1/bulletins?kind=news", method: .get).json["items"]?.array.isEmpty == true)

                let ledger = try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'bulletin'")
                #expect(ledger == 3, "proposed, published, withdrawn")
                return id
            }
            let delivery = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([delivery], settings: TestProvince.settings(url: url), databaseURL: t.databaseURL))
            let kept = try await SupervisionExchangeTests.get(url + "/sim/supervision")
            let row = kept["tables"]?["portal_bulletin"]?["portal_bulletin:\(id)"]
            #expect(row?["version"]?.int == 2, "published, then withdrawn: two rows, in order")
            #expect(row?["data"]?["status"]?.string == "withdrawn")
            #expect(row?["data"]?["withdrawalReason"]?.string == "数据有误，更正后重发")
            #expect(row?["data"]?["proposedBy"] == nil)
            let stats = try await SupervisionExchangeTests.get(url + "/sim/stats")
            #expect(stats.n("acceptedTwice") == 0)
            #expect(stats.n("orderViolations") == 0)
        }
    }

    @Test("an exposure links to an accepted penalty record of its department; anything else is refused with its path; pages are keyset-paginated")
    func exposures() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            for (name, roles) in [("dave", [OpsUser.Role.reviewer, .approver]), ("bob", [.approver])] {
                try await hub.opsUsers.add(username: name, displayName: name, password: "correct horse battery", roles: Set(roles))
            }
            let item = t.penaltyItem
            let penalty = SampleRecords.penalty(
                localId: "CF-9",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode
            )
            let pushed = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([penalty]), as: t.scjg)
            #expect(pushed.json["results"]?[0]["status"]?.string == "accepted")
            let dave = try await opsLogin(client, "dave")
            let bob = try await opsLogin(client, "bob")
            func exposure(_ localId: String, department: String = "HY-SCJG", title: String = "销售劣药被处罚") -> String {
                #"{"kind":"exposure","department":"\#(department)","title":"\#(title)","body":"依法从严查处。","recordLocalId":"\#(localId)"}"#
            }
            let unknownRecord = try await post(client, "/api/v1/ops/bulletins", dave, exposure("CF-NONE"))
            #expect(unknownRecord.status == .conflict)
            #expect(unknownRecord.json["errors"]?[0]["path"]?.string == "recordLocalId")
            #expect(unknownRecord.json["errors"]?[0]["code"]?.string == "no_penalty_record")
            let otherDepartment = try await post(client, "/api/v1/ops/bulletins", dave, exposure("CF-9", department: "HY-WJ"))
            #expect(otherDepartment.json["errors"]?[0]["code"]?.string == "no_penalty_record")
            let unknownDepartment = try await post(client, "/api/v1/ops/bulletins", dave, exposure("CF-9", department: "HY-NONE"))
            #expect(unknownDepartment.json["errors"]?[0]["code"]?.string == "unknown_department")
            let personal = try await post(client, "/api/v1/ops/bulletins", dave, exposure("CF-9", title: "负责人电话 13812345678"))
            #expect(personal.status == .badRequest)
            #expect(personal.json["errors"]?[0]["code"]?.string == "personal_data_in_text")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM bulletins") == 0, "refusals write nothing")

            var ids: [Int] = []
            for n in 1...5 {
                let r = try await post(client, "/api/v1/ops/bulletins", dave, exposure("CF-9", title: "曝光 \(n)"))
                #expect(r.status == .created)
                let id = try #require(r.json["id"]?.int)
                #expect(try await post(client, "/api/v1/ops/bulletins/\(id)/approve", bob).status == .ok)
                ids.append(id)
            }
            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let path =
                    "/public/v1/bulletins?kind=exposure&limit=2"
                    + (cursor.map { "&cursor=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
                let page = try await client.execute(uri: path, method: .get)
                #expect(page.status == .ok)
                seen += page.json["items"]?.array.compactMap { $0["title"]?.string } ?? []
                #expect(page.json["items"]?[0]["recordLocalId"]?.string == "CF-9")
                cursor = page.json["nextCursor"]?.string
            } while cursor != nil
            #expect(seen == (1...5).reversed().map { "曝光 \($0)" }, "newest first, each once")

            // The HTML pages: the list, and the item linking to the 行政执法公示 of the decision it exposes.
            let decision = try await count(hub.db, "SELECT id::int FROM publications WHERE source_key = 'HY-SCJG/CF-9' AND status = 'published'")
            let exposed = try await client.execute(uri: "/public/v1/bulletins/\(ids[0])", method: .get)
            #expect(exposed.json["decisionPublicationId"]?.int == decision)
            let html = try await client.execute(uri: "/public/exposures", method: .get)
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect((1...5).allSatisfy { String(buffer: html.body).contains("曝光 \($0)") })
            let detail = String(buffer: try await client.execute(uri: "/public/bulletins/\(ids[0])", method: .get).body)
            #expect(detail.contains("href=\"/public/publications/\(decision)\" id=\"decision-link\""))
            #expect(try await client.execute(uri: "/public/bulletins/999999", method: .get).status == .notFound)

            // A user scoped to another department sees none of them; an unscoped one sees all five.
            try await hub.opsUsers.add(
                username: "erin",
                displayName: "erin",
                password: "correct horse battery",
                roles: [.reviewer],
                departments: ["HY-WJ"]
            )
            let erin = try await opsLogin(client, "erin")
            let scoped = try await client.execute(uri: "/api/v1/ops/bulletins", method: .get, headers: erin)
            #expect(scoped.json["bulletins"]?.array.isEmpty == true)
            let all = try await client.execute(uri: "/api/v1/ops/bulletins?kind=exposure", method: .get, headers: dave)
            #expect(all.json["bulletins"]?.array.count == 5)
            #expect(try await post(client, "/api/v1/ops/bulletins/\(ids[0])/withdraw", erin, #"{"reason":"x"}"#).status == .forbidden)
            let bad = try await client.execute(uri: "/public/v1/bulletins?kind=exposure&cursor=x", method: .get)
            #expect(bad.status == .badRequest)
            #expect(bad.json["errors"]?[0]["code"]?.string == "invalid_cursor")
            #expect(try await client.execute(uri: "/public/v1/bulletins", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/public/v1/bulletins/abc", method: .get).status == .notFound)
        }
    }
}

/// The same workflow in the console: a refused form keeps what was typed, a second person publishes, the
/// author cannot, a withdrawal needs its reason.
@Suite("Bulletins in the console")
struct BulletinConsoleTests {
    @Test("write in the console; a refusal keeps the text; another person publishes; withdraw with a reason")
    func console() async throws {
        let t = try await TestHub.make()
        let console = ConsoleTests()
        try await t.serve { client, hub in
            try await console.users(hub)
            let alice = try await console.signIn(client, "alice")
            let bob = try await console.signIn(client, "bob")
            let (status, empty) = try await console.get(client, "/console/bulletins", alice)
            #expect(status == .ok)
            #expect(empty.contains("还没有内容") && empty.contains("id=\"bulletin-form\""))

            func form(_ title: String, _ body: String) -> String {
                "kind=news&department=HY-SCJG&title=\(title.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                    + "&body=\(body.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&recordLocalId="
            }
            let refused = try await console.post(client, "/console/bulletins", alice, form("专项检查通报", "联系人 13812345678"))
            #expect(refused.status == .badRequest)
            let page = String(buffer: refused.body)
            #expect(page.contains("id=\"bulletin-errors\"") && page.contains("身份证号码或手机号码"))
            #expect(page.contains("value=\"专项检查通报\""), "the title typed is kept")
            #expect(page.contains("联系人 13812345678</textarea>"), "the body typed is kept for correction")

            let accepted = try await console.post(client, "/console/bulletins", alice, form("专项检查通报", "检查药店 120 家。"))
            #expect(accepted.status == .seeOther || accepted.status == .found)
            let id = try #require(try await hub.bulletins.list(kind: .news, status: .proposed).first?.id)
            let (_, listed) = try await console.get(client, "/console/bulletins", alice)
            #expect(listed.contains("已提交，等待另一位审批人发布") && listed.contains("待审核"))

            #expect(
                try await console.post(client, "/console/bulletins/\(id)", alice, "action=approve").status == .forbidden,
                "a reviewer is not an approver"
            )
            let published = try await console.post(client, "/console/bulletins/\(id)", bob, "action=approve")
            #expect(published.status == .seeOther || published.status == .found)
            #expect(try await client.execute(uri: "/public/v1/bulletins/\(id)", method: .get).status == .ok)
            #expect(try await console.post(client, "/console/bulletins/\(id)", bob, "action=withdraw&reason=").status == .badRequest)
            _ = try await console.post(client, "/console/bulletins/\(id)", bob, "action=withdraw&reason=%E6%9B%B4%E6%AD%A3")
            let (_, after) = try await console.get(client, "/console/bulletins", bob)
            #expect(after.contains("已撤回") && after.contains("原因：更正"))
        }
    }
}
