import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Testing

/// Normalization by legal basis and the review workflow, end to end on a live server.
@Suite("Review workflow")
struct ReviewWorkflowTests {
    static let agency = "11430400013248734H"

    /// A 市场监管 inspection record known only by its local item.
    static func local(_ id: String, code: String, name: String, basis: String, result: String = "01") -> String {
        SampleRecords.inspection(localId: id, catalogCode: nil, implementationCode: nil, agencyCode: agency, localCode: code, result: result)
            .replacingOccurrences(of: "\"localName\":\"药品零售企业监督检查\"", with: "\"localName\":\"\(name)\"")
            .replacingOccurrences(of: "\"legalBasis\":\"《中华人民共和国药品管理法》第九十九条\"", with: "\"legalBasis\":\"\(basis)\"")
    }

    func login(_ client: any TestClientProtocol, _ user: String) async throws -> HTTPFields {
        let r = try await client.execute(
            uri: "/api/v1/ops/login",
            method: .post,
            body: ByteBuffer(string: "{\"username\":\"\(user)\",\"password\":\"correct horse battery\"}")
        )
        #expect(r.status == .ok)
        return [.authorization: "Bearer \(r.json["token"]?.string ?? "")"]
    }

    func users(_ hub: HubContext) async throws {
        for (name, roles) in [("alice", [OpsUser.Role.reviewer]), ("bob", [.approver]), ("carol", [.auditor]), ("dave", [.reviewer, .approver])] {
            try await hub.opsUsers.add(username: name, displayName: name, password: "correct horse battery", roles: Set(roles))
        }
    }

    @Test("a sure legal-basis match is decided automatically, recorded as a mapping release, and reused")
    func automatic() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let first = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    Self.local("AD-1", code: "SCJG-JC-9", name: "广告检查", basis: "《广告法》第49条")
                ]),
                as: t.scjg
            )
            let r = first.json["results"]?[0]
            #expect(r?["status"]?.string == "accepted")
            #expect(r?["rule"]?.string == "legal-basis")
            #expect(r?["catalogCode"]?.string == "43012100190000")
            #expect(r?["implementationCode"]?.string == "11430400013248734H34301210019000001")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE rule = 'legal-basis-auto' AND status = 'confirmed'") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'mapping'") == 1)

            let second = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    Self.local("AD-2", code: "SCJG-JC-9", name: "广告检查", basis: "《广告法》第49条")
                ]),
                as: t.scjg
            )
            #expect(second.json["results"]?[0]["rule"]?.string == "confirmed-mapping")
            let lookup = try await client.signed(.get, "/api/v1/records/AD-2", as: t.scjg)
            #expect(lookup.json["versions"]?[0]["mappingRelease"]?.int != nil)
        }
    }

    @Test("an ambiguous item is held, decided by one person, approved by another, and its records released with receipts")
    func fourEyes() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let records = (1...3).map { Self.local("FOOD-\($0)", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条") }
            let push = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: t.scjg)
            #expect(push.json["summary"]?["held"]?.int == 3)
            let reviewId = try #require(push.json["results"]?[0]["reviewId"]?.int)

            let alice = try await login(client, "alice")
            let bob = try await login(client, "bob")
            let dave = try await login(client, "dave")
            let carol = try await login(client, "carol")
            let list = try await client.execute(uri: "/api/v1/ops/reviews", method: .get, headers: carol)
            #expect(list.json["reviews"]?[0]["waitingRecords"]?.int == 3)
            #expect(list.json["reviews"]?[0]["reason"]?.string == "ambiguous")
            let detail = try await client.execute(uri: "/api/v1/ops/reviews/\(reviewId)", method: .get, headers: carol)
            let candidates = detail.json["candidates"]?.array ?? []
            #expect(candidates.count >= 2)
            #expect(candidates.contains { $0["catalogCode"]?.string == "43012100010000" })
            #expect(candidates.first?["evidence"]?.array.contains { $0.string?.contains("依据同源") == true } == true)

            let decision = "{\"relationship\":\"equivalent\",\"catalogCode\":\"43012100010000\",\"reason\":\"本地检查即对食品生产经营者的监督检查\"}"
            let byAuditor = try await client.execute(
                uri: "/api/v1/ops/reviews/\(reviewId)/decide",
                method: .post,
                headers: carol,
                body: ByteBuffer(string: decision)
            )
            #expect(byAuditor.status == .forbidden)
            let decided = try await client.execute(
                uri: "/api/v1/ops/reviews/\(reviewId)/decide",
                method: .post,
                headers: dave,
                body: ByteBuffer(string: decision)
            )
            #expect(decided.json["status"]?.string == "pending_approval")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE status = 'held'") == 3)

            // Nobody approves their own decision, a reviewer cannot approve, an unauthenticated call is refused.
            let own = try await client.execute(
                uri: "/api/v1/ops/reviews/\(reviewId)/approve",
                method: .post,
                headers: dave,
                body: ByteBuffer(string: "{}")
            )
            #expect(own.status == .forbidden)
            #expect(own.json["errors"]?[0]["code"]?.string == "own_decision")
            let reviewerOnly = try await client.execute(
                uri: "/api/v1/ops/reviews/\(reviewId)/approve",
                method: .post,
                headers: alice,
                body: ByteBuffer(string: "{}")
            )
            #expect(reviewerOnly.json["errors"]?[0]["code"]?.string == "role_required")
            let anonymous = try await client.execute(uri: "/api/v1/ops/reviews/\(reviewId)/approve", method: .post, body: ByteBuffer(string: "{}"))
            #expect(anonymous.status == .unauthorized)

            let approved = try await client.execute(
                uri: "/api/v1/ops/reviews/\(reviewId)/approve",
                method: .post,
                headers: bob,
                body: ByteBuffer(string: "{\"note\":\"同意\"}")
            )
            #expect(approved.json["status"]?.string == "released")
            #expect(approved.json["released"]?.int == 3)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE status = 'accepted' AND rule = 'confirmed-mapping'") == 3)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'record'") == 3)
            // Released versions are published like any accepted version (行政执法公示).
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'portal_publication'") == 3)

            // The department learns it from its receipt feed, with a cursor.
            let feed = try await client.signed(.get, "/api/v1/receipts?after=0", as: t.scjg)
            let receipts = feed.json["receipts"]?.array ?? []
            #expect(receipts.count == 3)
            #expect(receipts.allSatisfy { $0["status"]?.string == "accepted" && $0["detail"]?["ledgerSeq"]?.int != nil })
            let next = feed.json["next"]?.int ?? 0
            let empty = try await client.signed(.get, "/api/v1/receipts?after=\(next)", as: t.scjg)
            #expect(empty.json["receipts"]?.array.isEmpty == true)
            // Another department's feed is its own.
            #expect(try await client.signed(.get, "/api/v1/receipts", as: t.wj).json["receipts"]?.array.isEmpty == true)

            // The decision is reused at once for new records; approving twice is a conflict.
            let later = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    Self.local("FOOD-9", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条")
                ]),
                as: t.scjg
            )
            #expect(later.json["results"]?[0]["status"]?.string == "accepted")
            let again = try await client.execute(
                uri: "/api/v1/ops/reviews/\(reviewId)/approve",
                method: .post,
                headers: bob,
                body: ByteBuffer(string: "{}")
            )
            #expect(again.status == .conflict)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind IN ('review_decision', 'mapping')") == 2)
            #expect(try await LedgerStore.verify(hub.db).ok)
        }
    }

    @Test("a no-match decision rejects the waiting records with a reason, and later ones at once")
    func noMatch() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let push = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    Self.local("NET-1", code: "SCJG-JC-8", name: "网络食品交易平台检查", basis: "《食品安全法》第62条"),
                    Self.local("NET-2", code: "SCJG-JC-8", name: "网络食品交易平台检查", basis: "《食品安全法》第62条"),
                ]),
                as: t.scjg
            )
            let reviewId = try #require(push.json["results"]?[0]["reviewId"]?.int)
            let alice = try #require(try await hub.opsUsers.user(username: "alice"))
            let outcome: ReviewStore.Outcome
            do {
                outcome = try await hub.reviews.decide(
                    Int64(reviewId),
                    by: alice,
                    relationship: "no-match",
                    catalogCode: nil,
                    implementationCode: nil,
                    reason: "省级目录无对应事项",
                    requireApproval: false
                )
            } catch {
                Issue.record("\(String(reflecting: error))")
                return
            }
            #expect(outcome.rejected == 2)
            let feed = try await client.signed(.get, "/api/v1/receipts", as: t.scjg)
            #expect(feed.json["receipts"]?.array.count == 2)
            #expect(feed.json["receipts"]?[0]["status"]?.string == "rejected")
            #expect(feed.json["receipts"]?[0]["detail"]?["errors"]?[0]["code"]?.string == "item_not_in_catalog")
            let later = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    Self.local("NET-3", code: "SCJG-JC-8", name: "网络食品交易平台检查", basis: "《食品安全法》第62条")
                ]),
                as: t.scjg
            )
            #expect(later.json["results"]?[0]["status"]?.string == "rejected")
            #expect(later.json["results"]?[0]["errors"]?[0]["code"]?.string == "item_not_in_catalog")
        }
    }

    @Test("a later version never overtakes an earlier held one")
    func ordering() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            try await users(hub)
            let v1 = Self.local("ORD-1", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条")
            let v2 = SampleRecords.inspection(
                localId: "ORD-1",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode,
                result: "02"
            )
            let first = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([v1]), as: t.scjg)
            #expect(first.json["results"]?[0]["status"]?.string == "held")
            let second = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([v2]), as: t.scjg)
            #expect(second.json["results"]?[0]["status"]?.string == "held")
            #expect(second.json["results"]?[0]["version"]?.int == 2)
            let reviewId = try #require(first.json["results"]?[0]["reviewId"]?.int)
            let alice = try #require(try await hub.opsUsers.user(username: "alice"))
            let outcome = try await hub.reviews.decide(
                Int64(reviewId),
                by: alice,
                relationship: "equivalent",
                catalogCode: "43012100010000",
                implementationCode: nil,
                reason: "同源",
                requireApproval: false
            )
            #expect(outcome.released == 2)
            let history = try await client.signed(.get, "/api/v1/records/ORD-1", as: t.scjg)
            let versions = history.json["versions"]?.array ?? []
            #expect(versions.count == 2)
            #expect((versions[0]["ledgerSeq"]?.int ?? 0) < (versions[1]["ledgerSeq"]?.int ?? 0))
            #expect(versions[1]["rule"]?.string == "record-codes")
        }
    }

    @Test("a retired catalog item sends its mappings back to review and holds new records")
    func catalogChange() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            _ = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    Self.local("AD-1", code: "SCJG-JC-9", name: "广告检查", basis: "《广告法》第49条")
                ]),
                as: t.scjg
            )
            let file = TestCluster.projectRoot.appendingPathComponent("Mappings/catalog/catalog.csv")
            var rows = try CatalogFile.items(try String(contentsOf: file, encoding: .utf8), file: file.path)
            let i = try #require(rows.firstIndex { $0.code == "43012100190000" })
            rows[i].status = .retired
            let summary = try await hub.catalog.importCatalog(rows)
            #expect(summary.changed == 1)
            #expect(summary.mappingsToReview == 1)
            let reviews = try await hub.reviews.list()
            #expect(reviews.first?.reason == "catalog_changed")
            #expect(reviews.first?.localCode == "SCJG-JC-9")
            await hub.catalogCache.invalidate()
            let later = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    Self.local("AD-2", code: "SCJG-JC-9", name: "广告检查", basis: "《广告法》第49条")
                ]),
                as: t.scjg
            )
            #expect(later.json["results"]?[0]["status"]?.string == "held")
            #expect(later.json["results"]?[0]["reviewId"]?.int == Int(reviews.first!.id))
        }
    }

    @Test("a department's own field names and values are normalized through its profile")
    func profileShape() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            let own = SampleRecords.inspection(
                localId: "X",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode
            )
            .replacingOccurrences(of: "\"localId\":\"X\"", with: "\"jcbh\":\"OWN-1\"")
            .replacingOccurrences(of: "\"result\":\"01\"", with: "\"result\":\"合格\"")
            .replacingOccurrences(of: "\"submittedAt\"", with: "\"bssj\"")
            let r = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([own]), as: t.scjg)
            #expect(r.json["results"]?[0]["status"]?.string == "accepted", "\(r.json)")
            let stored = try await client.signed(.get, "/api/v1/records/OWN-1", as: t.scjg)
            #expect(stored.json["versions"]?[0]["record"]?["inspection"]?["result"]?.string == "01")
            // A value the profile does not know still meets the national dictionary check.
            let bad = own.replacingOccurrences(of: "合格", with: "马马虎虎").replacingOccurrences(of: "OWN-1", with: "OWN-2")
            let refused = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([bad]), as: t.scjg)
            #expect(refused.json["results"]?[0]["errors"]?[0]["code"]?.string == "unknown_dictionary_value")
        }
    }

    @Test("a profile's known items become confirmed mappings when its department is registered")
    func profileItems() async throws {
        let t = try await TestHub.make()
        let yj = try await t.withDatabase { db in try await DepartmentStore(db: db, vault: t.hub.secretVault).add(code: "HY-YJ", name: "衡阳市药品监督管理局") }
        try await t.serve { client, hub in
            #expect(try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE rule = 'profile' AND status = 'confirmed'") == 2)
            let record = SampleRecords.inspection(
                localId: "YJ-1",
                catalogCode: nil,
                implementationCode: nil,
                agencyCode: "114304000977578263",
                localCode: "YJ-SX-001"
            )
            .replacingOccurrences(of: "衡阳市市场监督管理局", with: "衡阳市药品监督管理局")
            let r = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: yj)
            #expect(r.json["results"]?[0]["status"]?.string == "accepted", "\(r.json)")
            #expect(r.json["results"]?[0]["rule"]?.string == "confirmed-mapping")
        }
    }
}
