import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Testing

/// The review page's helpers over real HTTP and PostgreSQL, signed in as console users: the held records, the
/// catalog hierarchy, a plain strength and Chinese evidence, the catalog search in the form, the form kept after
/// a refusal, and bulk decisions over local items citing the same provision (each decided and approved on its own).
@Suite("Review page helpers")
struct ReviewPageTests {
    let console = ConsoleTests()

    static func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    func users(_ hub: HubContext) async throws {
        try await console.users(hub)
        try await hub.opsUsers.add(username: "erin", displayName: "erin同志", password: "correct horse battery", roles: [.auditor, .pii])
    }

    /// A record of `localCode` whose party is a citizen (masked for users without `pii`).
    static func citizen(_ id: String, code: String, name: String, basis: String) -> String {
        ReviewWorkflowTests.local(id, code: code, name: name, basis: basis)
            .replacingOccurrences(
                of: "\"name\":\"衡阳市某大药房有限公司\",\"nature\":\"2\",\"idType\":\"001\",\"idNumber\":\"91330105MA2KER1H4N\"",
                with: "\"name\":\"张某\",\"nature\":\"1\",\"idType\":\"111\",\"idNumber\":\"\(PrivacyTests.citizenID)\""
            )
    }

    func push(_ client: any TestClientProtocol, _ t: TestHub, _ records: [String]) async throws -> [Int] {
        let r = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: t.scjg)
        #expect(r.status == .ok, "\(String(buffer: r.body).prefix(400))")
        return (r.json["results"]?.array ?? []).compactMap { $0["reviewId"]?.int }
    }

    @Test("the held records are listed (party masked without pii, capped with a link), candidates marked 主项/子项 with a plain strength")
    func heldAndHierarchy() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            var records = (1...22).map { ReviewWorkflowTests.local("H-\($0)", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条") }
            records.append(Self.citizen("H-0", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条"))
            let reviewId = try #require(try await push(client, t, records).first)
            let carol = try await console.signIn(client, "carol")
            let (status, page) = try await console.get(client, "/console/reviews/\(reviewId)", carol)
            #expect(status == .ok)

            // Held records: 20 shown, newest first, each linking to its record page; the rest counted with a link.
            #expect(page.contains("等待放行的记录（共 23 条）"))
            let rows = page.matches(of: /<a href="\/console\/records\?department=HY-SCJG&amp;localId=H-[0-9]+">/).count
            #expect(rows == 20)
            #expect(page.contains("以及另外 3 条"))
            #expect(page.contains("/console/records?review=\(reviewId)&amp;status=held"))
            // The link lists exactly this review's held records.
            let (_, all) = try await console.get(client, "/console/records?review=\(reviewId)&status=held", carol)
            #expect(Set(all.matches(of: /localId=(H-[0-9]+)"/).map { String($0.1) }).count == 23)
            #expect(page.contains("2026-11-20"), "the act date")
            #expect(page.contains("衡阳市某大药房有限公司（91330105MA2KER1H4N）"), "an organisation's USCC is public")
            #expect(
                page.contains("张某（\(PersonalData.maskIDNumber(PrivacyTests.citizenID))）") && !page.contains(PrivacyTests.citizenID),
                "a citizen's ID masked for an auditor"
            )
            let erin = try await console.signIn(client, "erin")
            let (_, unmasked) = try await console.get(client, "/console/reviews/\(reviewId)", erin)
            #expect(unmasked.contains("张某（\(PrivacyTests.citizenID)）"), "shown to a user with pii")

            // The candidates: the main item and its sub-items marked, each with 强/中/弱 and why, no raw score or English.
            #expect(page.contains("<span class=\"tag\">主项</span> 含 3 个子项"))
            #expect(page.contains("<span class=\"tag\">子项</span> 主项：<a href=\"/console/catalog/43012100010000\">43012100010000</a>"))
            #expect(page.contains(">强</span> <small class=\"strength-reason\">依据同源（同一法规同一条款）</small>"))
            #expect(page.contains("为同一法规同一条款"))
            #expect(!page.contains("得分"))
            for english in ["same instrument and article", "name similarity", "same paragraph", "shares every"] {
                #expect(!page.contains(english), "\(english)")
            }
            #expect(page.contains("名称相似度 "))
        }
    }

    @Test("the catalog search in the form finds an item by name; the decision with it is approved and releases the records")
    func searchAndDecide() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let records = (1...2).map { ReviewWorkflowTests.local("S-\($0)", code: "SCJG-DT-1", name: "电梯日常检查", basis: "《衡阳市电梯安全管理办法》第3条") }
            let reviewId = try #require(try await push(client, t, records).first)
            let alice = try await console.signIn(client, "alice")
            let (_, before) = try await console.get(client, "/console/reviews/\(reviewId)", alice)
            #expect(before.contains("没有同部门、同类型且依据相近的目录事项"))
            #expect(before.contains("id=\"catalog-search-form\"") && before.contains("method=\"get\""))

            let (_, found) = try await console.get(client, "/console/reviews/\(reviewId)?q=\(Self.enc("电梯"))", alice)
            #expect(found.contains("<td data-label=\"目录编码\" class=\"code\">43012100160001</td><td data-label=\"事项名称\">对电梯使用单位的监督检查"))
            #expect(found.contains("子项，主项为 43012100160000"))
            let link = try #require(found.firstMatch(of: /href="(\/console\/reviews\/[0-9]+\?q=[^"]+&amp;code=43012100160001)#decide-form"/)?.1)
            let (_, picked) = try await console.get(client, String(link).replacingOccurrences(of: "&amp;", with: "&"), alice)
            #expect(picked.contains("id=\"catalogCode\" value=\"43012100160001\""), "the choice fills the decision")
            // By legal basis and by code too; only items of the records' type; a wildcard is taken literally.
            let (_, byBasis) = try await console.get(client, "/console/reviews/\(reviewId)?q=\(Self.enc("特种设备安全监察条例"))", alice)
            #expect(byBasis.contains("43012100160001"))
            let (_, byCode) = try await console.get(client, "/console/reviews/\(reviewId)?q=430121001600", alice)
            #expect(byCode.contains("43012100160000") && byCode.contains("43012100160002"))
            let (_, wildcard) = try await console.get(client, "/console/reviews/\(reviewId)?q=%25", alice)
            #expect(wildcard.contains("id=\"found-none\""))
            let penalty = try #require(
                try await hub.catalog.browse(search: "", department: nil, limit: 500).first { $0.itemType == "行政处罚" && $0.status == "active" }
            )
            let (_, otherType) = try await console.get(client, "/console/reviews/\(reviewId)?q=\(Self.enc(penalty.name))", alice)
            #expect(
                !otherType.contains("<td data-label=\"目录编码\" class=\"code\">\(penalty.code)</td>"),
                "a penalty item is not offered for inspections"
            )

            let decided = try await console.post(
                client,
                "/console/reviews/\(reviewId)/decide",
                alice,
                "relationship=equivalent&catalogCode=43012100160001&reason=\(Self.enc("本地办法第3条即特种设备安全法第五十七条的电梯使用检查"))"
            )
            #expect(decided.status == .seeOther)
            let bob = try await console.signIn(client, "bob")
            let approved = try await console.post(client, "/console/reviews/\(reviewId)/approve", bob, "note=ok")
            #expect(approved.status == .seeOther)
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM records WHERE local_id LIKE 'S-%' AND status = 'accepted' AND catalog_code = '43012100160001'"
                )
                    == 2
            )
        }
    }

    @Test("a refused decision shows the page again with what was typed and the error beside its field, once")
    func errorKeepsInput() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let reviewId = try #require(
                try await push(client, t, [ReviewWorkflowTests.local("K-1", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条")]).first
            )
            let alice = try await console.signIn(client, "alice")
            let reason = "依据相同，但事项较窄 <b>"
            let refused = try await console.post(
                client,
                "/console/reviews/\(reviewId)/decide",
                alice,
                "relationship=local-narrower&catalogCode=43012100019999&implementationCode=&reason=\(Self.enc(reason))"
            )
            #expect(refused.status == .seeOther)
            #expect(refused.headers[.location] == "/console/reviews/\(reviewId)", "nothing typed goes into the URL")
            let (_, page) = try await console.get(client, "/console/reviews/\(reviewId)", alice)
            #expect(page.contains("id=\"form-error\""))
            #expect(page.contains("<p class=\"field-error\" id=\"error-catalogCode\">目录中没有该在用事项</p>"))
            #expect(page.contains("id=\"catalogCode\" value=\"43012100019999\""))
            #expect(page.contains("依据相同，但事项较窄 &lt;b&gt;</textarea>"), "the reason kept, escaped")
            #expect(page.contains("<option value=\"local-narrower\" selected>"))
            #expect(try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE review_id = \(reviewId)") == 0)

            let (_, again) = try await console.get(client, "/console/reviews/\(reviewId)", alice)
            #expect(!again.contains("id=\"form-error\"") && !again.contains("43012100019999"), "shown once")

            _ = try await console.post(
                client,
                "/console/reviews/\(reviewId)/decide",
                alice,
                "relationship=equivalent&catalogCode=43012100010000&reason=+"
            )
            let (_, noReason) = try await console.get(client, "/console/reviews/\(reviewId)", alice)
            #expect(noReason.contains("<p class=\"field-error\" id=\"error-reason\">请填写决定理由</p>"))
        }
    }

    @Test(
        "a bulk decision over 3 items citing one provision: 3 decisions and 3 ledger entries, the proposer cannot approve them, a second person approves all and releases their records"
    )
    func bulk() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let basis = "《特种设备安全法》第五十七条"
            var ids: [Int] = []
            for (n, name) in ["电梯使用单位检查", "电梯维保单位检查", "电梯日常巡查"].enumerated() {
                let records = (1...2).map { ReviewWorkflowTests.local("B\(n)-\($0)", code: "SCJG-TZ-\(n)", name: name, basis: basis) }
                ids.append(try #require(try await push(client, t, records).first))
            }
            let other = try #require(
                try await push(client, t, [ReviewWorkflowTests.local("X-1", code: "SCJG-TZ-9", name: "锅炉检查", basis: "《特种设备安全法》第五十八条")]).first
            )
            let (a, b, c) = (ids[0], ids[1], ids[2])
            let dave = try await console.signIn(client, "dave")
            let (_, page) = try await console.get(client, "/console/reviews/\(a)", dave)
            #expect(page.contains("id=\"same-basis\""))
            #expect(page.contains("id=\"also-\(b)\"") && page.contains("id=\"also-\(c)\""))
            #expect(!page.contains("id=\"also-\(other)\""), "another article is not the same basis")

            let form =
                "relationship=equivalent&catalogCode=43012100160001&reason=\(Self.enc("同为特种设备安全法第五十七条，电梯使用"))"
                + "&also%5B%5D=\(b)&also%5B%5D=\(c)&also%5B%5D=\(other)"
            let decided = try await console.post(client, "/console/reviews/\(a)/decide", dave, form)
            #expect(decided.status == .seeOther)
            let (_, after) = try await console.get(client, "/console/reviews/\(a)", dave)
            #expect(after.contains("id=\"bulk-results\""))
            #expect(after.contains("#\(b)</a> SCJG-TZ-1：已提交，待另一位审批人批准"))
            #expect(after.contains("#\(other)</a> ：未处理：该事项不是本部门依据相同、待处理的审核事项"))
            let list = ids.map(String.init).joined(separator: ",")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE review_id IN (\(list)) AND status = 'proposed'") == 3)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE review_id = \(other)") == 0)
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM ledger WHERE kind = 'review_decision' AND subject IN ('review:\(a)', 'review:\(b)', 'review:\(c)')"
                )
                    == 3
            )

            // The proposer: no approve form, and a forged bulk approval is refused item by item.
            #expect(after.contains("own-decision") && !after.contains("id=\"approve-form\""))
            let releases = try await hub.reviews.list(status: "pending_approval").reduce(into: [Int64: Int64]()) { $0[$1.id] = $1.proposedMapping }
            func approval(_ id: Int) -> String { "also%5B%5D=\(id):\(releases[Int64(id)] ?? 0)" }
            let own = try await console.post(
                client,
                "/console/reviews/\(a)/approve",
                dave,
                "note=ok&release=\(releases[Int64(a)] ?? 0)&\(approval(b))&\(approval(c))"
            )
            #expect(own.status == .seeOther)
            let (_, refused) = try await console.get(client, "/console/reviews/\(a)", dave)
            #expect(refused.matches(of: /不能复核自己作出的决定/).count == 3, "each of the three refused")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE review_id IN (\(list)) AND status = 'proposed'") == 3)

            // A second person sees the siblings' proposals and approves all three in one request.
            let bob = try await console.signIn(client, "bob")
            let (_, pending) = try await console.get(client, "/console/reviews/\(a)", bob)
            #expect(pending.contains("dave：") && pending.contains("value=\"\(b):\(releases[Int64(b)] ?? 0)\""))
            let approved = try await console.post(
                client,
                "/console/reviews/\(a)/approve",
                bob,
                "note=ok&release=\(releases[Int64(a)] ?? 0)&\(approval(b))&\(approval(c))"
            )
            #expect(approved.status == .seeOther)
            let (_, done) = try await console.get(client, "/console/reviews/\(a)", bob)
            #expect(done.contains("放行 <b id=\"released\">2</b> 条记录"))
            #expect(done.contains("SCJG-TZ-2：已生效，放行 2 条记录"))
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM records WHERE local_id LIKE 'B%' AND status = 'accepted' AND catalog_code = '43012100160001'"
                ) == 6
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'B%' AND status = 'held'") == 0)
            #expect(
                try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'mapping' AND payload LIKE '%\"approvedBy\":\"bob\"%'") == 3
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id = 'X-1' AND status = 'held'") == 1)
        }
    }
}
