import Foundation
import HTTPTypes
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import Ingest
import NIOCore
import PostgresNIO
import Testing

/// Ops accounts: disabling one, scoping one to departments, and four eyes that hold against a catalog
/// change withdrawing the proposal meanwhile.
@Suite("Ops accounts")
struct AccountsTests {
    static let password = "correct horse battery"

    func login(_ client: any TestClientProtocol, _ user: String) async throws -> HTTPFields {
        let r = try await client.execute(
            uri: "/api/v1/ops/login",
            method: .post,
            body: ByteBuffer(string: "{\"username\":\"\(user)\",\"password\":\"\(Self.password)\"}")
        )
        #expect(r.status == .ok, "\(user) signs in")
        return [.authorization: "Bearer \(r.json["token"]?.string ?? "")"]
    }

    /// One open review item per department, of inspection records.
    func openReviews(_ db: HubDatabase) async throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for try await (code, id) in try await db.client.query(
            """
            INSERT INTO review_items (department_id, local_code, record_kind, reason)
            SELECT id, code || '-LOCAL-1', 'inspection', 'no_mapping' FROM departments RETURNING (SELECT code FROM departments d WHERE d.id = department_id), id
            """,
            logger: db.logger
        ).decode((String, Int64).self) { out[code] = id }
        return out
    }

    static let decision = "{\"relationship\":\"equivalent\",\"catalogCode\":\"43012100010000\",\"reason\":\"同一检查事项\"}"

    @Test("a disabled account's tokens and console sessions end at once and its sign-in is refused")
    func disable() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await hub.opsUsers.add(username: "alice", displayName: "alice", password: Self.password, roles: [.reviewer])
            let token = try await login(client, "alice")
            #expect(try await client.execute(uri: "/api/v1/ops/reviews", method: .get, headers: token).status == .ok)
            let session = try await ConsoleTests().signIn(client, "alice")
            #expect(try await client.execute(uri: "/console/reviews", method: .get, headers: [.cookie: session.cookie]).status == .ok)

            try await hub.opsUsers.disable(username: "alice", by: "test")
            #expect(try await client.execute(uri: "/api/v1/ops/reviews", method: .get, headers: token).status == .unauthorized)
            let page = try await client.execute(uri: "/console/reviews", method: .get, headers: [.cookie: session.cookie])
            #expect(page.status == .seeOther)
            let again = try await client.execute(
                uri: "/api/v1/ops/login",
                method: .post,
                body: ByteBuffer(string: "{\"username\":\"alice\",\"password\":\"\(Self.password)\"}")
            )
            #expect(again.status == .unauthorized)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE subject = 'user_disabled' AND payload LIKE '%alice%'") == 1)
            await #expect(throws: OpsUserStore.Problem.self) { try await hub.opsUsers.disable(username: "nobody", by: "test") }
        }
    }

    @Test("a reviewer scoped to a department sees and decides only its review items, in the API and the console")
    func scopedReviewer() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let ids = try await openReviews(hub.db)
            let (scjg, wj) = (try #require(ids["HY-SCJG"]), try #require(ids["HY-WJ"]))
            try await hub.opsUsers.add(username: "sam", displayName: "sam", password: Self.password, roles: [.reviewer], departments: ["HY-SCJG"])
            try await hub.opsUsers.add(username: "walt", displayName: "walt", password: Self.password, roles: [.approver], departments: ["HY-WJ"])
            try await hub.opsUsers.add(username: "ann", displayName: "ann", password: Self.password, roles: [.approver])
            await #expect(throws: OpsUserStore.Problem.self) {
                try await hub.opsUsers.add(username: "x", displayName: "x", password: Self.password, roles: [.reviewer], departments: ["NO-SUCH"])
            }
            let sam = try await login(client, "sam")
            let list = try await client.execute(uri: "/api/v1/ops/reviews", method: .get, headers: sam)
            #expect(list.json["reviews"]?.array.map { $0["department"]?.string } == ["HY-SCJG"])
            let other = try await client.execute(uri: "/api/v1/ops/reviews/\(wj)", method: .get, headers: sam)
            #expect(other.status == .notFound)
            let decideOther = try await client.execute(
                uri: "/api/v1/ops/reviews/\(wj)/decide",
                method: .post,
                headers: sam,
                body: ByteBuffer(string: Self.decision)
            )
            #expect(decideOther.status == .notFound)
            #expect(decideOther.json["errors"]?[0]["code"]?.string == "review_not_found")
            let own = try await client.execute(
                uri: "/api/v1/ops/reviews/\(scjg)/decide",
                method: .post,
                headers: sam,
                body: ByteBuffer(string: Self.decision)
            )
            #expect(own.json["status"]?.string == "pending_approval", "\(own.json)")
            // An approver scoped elsewhere cannot approve it; an unscoped one can.
            let walt = try await login(client, "walt")
            #expect(
                try await client.execute(uri: "/api/v1/ops/reviews/\(scjg)/approve", method: .post, headers: walt, body: ByteBuffer(string: "{}"))
                    .status == .notFound
            )
            let ann = try await login(client, "ann")
            let approved = try await client.execute(
                uri: "/api/v1/ops/reviews/\(scjg)/approve",
                method: .post,
                headers: ann,
                body: ByteBuffer(string: "{}")
            )
            #expect(approved.json["status"]?.string == "released")

            // The console shows the same scope.
            let console = ConsoleTests()
            let session = try await console.signIn(client, "sam")
            let (_, queue) = try await console.get(client, "/console/reviews?status=open", session)
            #expect(!queue.contains("HY-WJ-LOCAL-1"))
            let (status, _) = try await console.get(client, "/console/reviews/\(wj)", session)
            #expect(status == .notFound)
            let waltSession = try await console.signIn(client, "walt")
            let (_, waltQueue) = try await console.get(client, "/console/reviews?status=open", waltSession)
            #expect(waltQueue.contains("HY-WJ-LOCAL-1"))
            #expect(!waltQueue.contains("HY-SCJG-LOCAL-1"))
        }
    }

    /// The sample catalog row of the decision's target, renamed (a catalog change that withdraws proposals).
    static func renamedTarget(_ suffix: String) throws -> CatalogItem {
        let file = TestCluster.projectRoot.appendingPathComponent("Mappings/catalog/catalog.csv")
        var row = try #require(
            try CatalogFile.items(try String(contentsOf: file, encoding: .utf8), file: file.path)
                .first { $0.code == "43012100010000" }
        )
        row.name += suffix
        return row
    }

    @Test("an approval of a proposal that a catalog change withdrew meanwhile is refused, also when the withdrawal runs concurrently")
    func withdrawnProposal() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let id = try #require(try await openReviews(hub.db)["HY-SCJG"])
            try await hub.opsUsers.add(username: "alice", displayName: "alice", password: Self.password, roles: [.reviewer])
            try await hub.opsUsers.add(username: "bob", displayName: "bob", password: Self.password, roles: [.approver])
            let (alice, bob) = (try await login(client, "alice"), try await login(client, "bob"))

            // Bob looks at alice's proposal; the catalog item changes and withdraws it; alice decides again.
            _ = try await client.execute(
                uri: "/api/v1/ops/reviews/\(id)/decide",
                method: .post,
                headers: alice,
                body: ByteBuffer(string: Self.decision)
            )
            let seen = try #require(
                try await client.execute(uri: "/api/v1/ops/reviews/\(id)", method: .get, headers: bob).json["proposedRelease"]?.int
            )
            _ = try await hub.catalog.importCatalog([try Self.renamedTarget("（修订）")])
            await hub.catalogCache.invalidate()
            #expect(try await hub.reviews.detail(id)?.status == "open")
            let redecided = try await client.execute(
                uri: "/api/v1/ops/reviews/\(id)/decide",
                method: .post,
                headers: alice,
                body: ByteBuffer(string: Self.decision)
            )
            #expect(redecided.json["status"]?.string == "pending_approval")
            let stale = try await client.execute(
                uri: "/api/v1/ops/reviews/\(id)/approve",
                method: .post,
                headers: bob,
                body: ByteBuffer(string: "{\"release\":\(seen)}")
            )
            #expect(stale.status == .conflict)
            #expect(stale.json["errors"]?[0]["code"]?.string == "proposal_withdrawn")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE id = \(seen) AND status = 'withdrawn'") == 1)
            let current = try #require(try await hub.reviews.detail(id)?.proposedMapping)
            let fresh = try await client.execute(
                uri: "/api/v1/ops/reviews/\(id)/approve",
                method: .post,
                headers: bob,
                body: ByteBuffer(string: "{\"release\":\(current)}")
            )
            #expect(fresh.json["status"]?.string == "released")

            // Approval and withdrawal racing: whichever commits first, a withdrawn proposal is never confirmed.
            // A change first sends the confirmed mapping back to review, so an open review waits.
            _ = try await hub.catalog.importCatalog([try Self.renamedTarget("（再修订）")])
            let aliceUser = try #require(try await hub.opsUsers.user(username: "alice"))
            let bobUser = try #require(try await hub.opsUsers.user(username: "bob"))
            var approvals = 0
            for round in 0..<6 {
                // Each round's change leaves an open review of the item (the withdrawn one reopened, or a new one for the confirmed mapping).
                let open = try await hub.reviews.list(status: "open")
                let review = try #require(open.first { $0.localCode == "HY-SCJG-LOCAL-1" }, "round \(round)")
                await hub.catalogCache.invalidate()
                let outcome = try await hub.reviews.decide(
                    review.id,
                    by: aliceUser,
                    relationship: "equivalent",
                    catalogCode: "43012100010000",
                    implementationCode: nil,
                    reason: "第\(round)轮",
                    requireApproval: true
                )
                let proposal = outcome.release
                let reviews = hub.reviews
                let catalog = hub.catalog
                // Staggered starts, so that both orders occur: the approval sometimes starts after the change.
                let delay = [0, 2, 5, 10, 20, 40][round]
                @Sendable func approve() async throws -> Bool {
                    try await Task.sleep(for: .milliseconds(delay))
                    do {
                        _ = try await reviews.approve(review.id, by: bobUser, release: proposal)
                        return true
                    } catch let e as ReviewError where e.kind == .conflict { return false }
                }
                let changed = try Self.renamedTarget("（第\(round)次修订）")
                async let approval = approve()
                async let change = catalog.importCatalog([changed])
                let (approved, summary) = try await (approval, change)
                #expect(summary.changed == 1)
                var status = ""
                for try await s in try await hub.db.client.query("SELECT status FROM item_mappings WHERE id = \(proposal)", logger: hub.logger)
                    .decode(String.self)
                { status = s }
                // Approved first: confirmed, then sent back to review by the change. Withdrawn first: refused.
                #expect(approved == (status != "withdrawn"), "round \(round): approved \(approved), proposal \(status)")
                if approved { approvals += 1 }
                #expect(
                    try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE local_code = 'HY-SCJG-LOCAL-1' AND status = 'confirmed'")
                        <= 1
                )
            }
            // Which side wins varies from run to run; both outcomes are checked above.
            print("approval racing a withdrawal: \(approvals) of 6 approvals won")
            #expect(try await LedgerStore.verify(hub.db).ok)
        }
    }
}
