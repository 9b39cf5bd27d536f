import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Testing

/// The ops console over real HTTP: sign-in with a session cookie, CSRF on every form, roles, four eyes,
/// and what each page shows. (The browser suite in `scripts/browser_test.py` drives the same pages in
/// headless Chromium.)
@Suite("Ops console")
struct ConsoleTests {
    /// A signed-in browser: its session cookie and the CSRF token the pages carry.
    struct Session {
        var cookie: String
        var csrf: String
    }

    static func text(_ r: TestResponse) -> String { String(buffer: r.body) }

    func signIn(_ client: any TestClientProtocol, _ user: String, password: String = "correct horse battery") async throws -> Session {
        let form = try await client.execute(uri: "/console/login", method: .get)
        let loginCookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        let csrf = String(loginCookie.split(separator: "=")[1])
        let r = try await client.execute(
            uri: "/console/login",
            method: .post,
            headers: [.cookie: loginCookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "_csrf=\(csrf)&username=\(user)&password=\(password.replacingOccurrences(of: " ", with: "+"))")
        )
        #expect(r.status == .seeOther)
        let cookie = try #require(r.headers[values: .setCookie].first { $0.hasPrefix("hub_session=") }?.split(separator: ";").first.map(String.init))
        let page = try await client.execute(uri: "/console/reviews", method: .get, headers: [.cookie: cookie])
        let html = Self.text(page)
        let token = try #require(html.firstMatch(of: /name="_csrf" value="([0-9a-f]{64})"/)?.1)
        return Session(cookie: cookie, csrf: String(token))
    }

    func get(_ client: any TestClientProtocol, _ path: String, _ s: Session) async throws -> (HTTPResponse.Status, String) {
        let r = try await client.execute(uri: path, method: .get, headers: [.cookie: s.cookie])
        return (r.status, Self.text(r))
    }

    func post(_ client: any TestClientProtocol, _ path: String, _ s: Session, _ form: String, csrf: Bool = true) async throws -> TestResponse {
        let body = (csrf ? "_csrf=\(s.csrf)&" : "") + form
        return try await client.execute(
            uri: path,
            method: .post,
            headers: [.cookie: s.cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        )
    }

    /// Follows a started job to its page and waits until it is no longer running.
    func finishedJob(_ client: any TestClientProtocol, _ started: TestResponse, _ s: Session) async throws -> String {
        let location = try #require(started.headers[.location], "status \(started.status)")
        #expect(location.hasPrefix("/console/jobs/"))
        for _ in 0..<300 {
            let (_, page) = try await get(client, location, s)
            if !page.contains("job-running") { return page }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("job \(location) did not finish")
        return ""
    }

    func users(_ hub: HubContext) async throws {
        for (name, roles) in [("alice", [OpsUser.Role.reviewer]), ("bob", [.approver]), ("carol", [.auditor]), ("dave", [.reviewer, .approver])] {
            try await hub.opsUsers.add(username: name, displayName: "\(name)同志", password: "correct horse battery", roles: Set(roles))
        }
    }

    @Test("pages need a session; a bad password is refused; sign-out ends the session")
    func signInAndOut() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let anonymous = try await client.execute(uri: "/console/reviews", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/console/login")
            let login = try await client.execute(uri: "/console/login", method: .get)
            #expect(Self.text(login).contains("登录运维控制台"))
            #expect(login.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            let bad = try await client.execute(
                uri: "/console/login",
                method: .post,
                headers: [.cookie: "hub_login_csrf=abc", .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=abc&username=alice&password=wrong")
            )
            #expect(bad.headers[.location] == "/console/login?failed=1")
            let forged = try await client.execute(
                uri: "/console/login",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=abc&username=alice&password=correct+horse+battery")
            )
            #expect(forged.status == .forbidden, "a sign-in without the form's cookie is refused")

            // Five wrong passwords for bob: the sixth try is refused even with the right password.
            for _ in 0..<5 {
                let wrong = try await client.execute(
                    uri: "/console/login",
                    method: .post,
                    headers: [.cookie: "hub_login_csrf=abc", .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "_csrf=abc&username=bob&password=wrong")
                )
                #expect(wrong.headers[.location] == "/console/login?failed=1")
            }
            let locked = try await client.execute(
                uri: "/console/login",
                method: .post,
                headers: [.cookie: "hub_login_csrf=abc", .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=abc&username=bob&password=correct+horse+battery")
            )
            #expect(locked.headers[.location] == "/console/login?locked=1")
            let api = try await client.execute(
                uri: "/api/v1/ops/login",
                method: .post,
                body: ByteBuffer(string: #"{"username":"bob","password":"correct horse battery"}"#)
            )
            #expect(api.status == .tooManyRequests)
            #expect(api.headers[.retryAfter] != nil)

            let s = try await signIn(client, "alice")
            let (status, html) = try await get(client, "/console/reviews", s)
            #expect(status == .ok)
            #expect(html.contains("alice同志") && html.contains("审核人"))
            let out = try await post(client, "/console/logout", s, "")
            #expect(out.headers[.location] == "/console/login?out=1")
            let after = try await client.execute(uri: "/console/reviews", method: .get, headers: [.cookie: s.cookie])
            #expect(after.status == .seeOther, "the old session cookie no longer works")
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM ledger WHERE kind = 'ops_action' AND subject IN ('console_sign_in', 'console_sign_out') AND payload LIKE '%alice%'"
                ) == 2
            )
        }
    }

    @Test("a conflict is decided and approved in the console; held records are released; the rules hold (CSRF, auditor, four eyes)")
    func reviewInTheConsole() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let records = (1...3).map { ReviewWorkflowTests.local("C-\($0)", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条") }
            let push = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: t.scjg)
            let reviewId = try #require(push.json["results"]?[0]["reviewId"]?.int)

            let alice = try await signIn(client, "alice")
            let bob = try await signIn(client, "bob")
            let carol = try await signIn(client, "carol")
            let (_, queue) = try await get(client, "/console/reviews", carol)
            #expect(queue.contains("/console/reviews/\(reviewId)") && queue.contains("SCJG-JC-7"))
            let (_, detail) = try await get(client, "/console/reviews/\(reviewId)", carol)
            #expect(detail.contains("<mark>食品安全法</mark>") || detail.contains("<mark>第110条</mark>"), "the shared citation is highlighted")
            #expect(detail.contains("依据同源"))
            #expect(!detail.contains("decide-form"), "an auditor gets no decision form")

            // An auditor can see but not change; a form without the CSRF token is refused.
            let byAuditor = try await post(
                client,
                "/console/reviews/\(reviewId)/decide",
                carol,
                "relationship=equivalent&catalogCode=43012100010000&reason=x"
            )
            #expect(byAuditor.status == .forbidden)
            let forged = try await post(
                client,
                "/console/reviews/\(reviewId)/decide",
                alice,
                "relationship=equivalent&catalogCode=43012100010000&reason=x",
                csrf: false
            )
            #expect(forged.status == .forbidden)
            #expect(Self.text(forged).contains("CSRF"))
            let wrongToken = try await client.execute(
                uri: "/console/reviews/\(reviewId)/decide",
                method: .post,
                headers: [.cookie: alice.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(bob.csrf)&relationship=equivalent&catalogCode=43012100010000&reason=x")
            )
            #expect(wrongToken.status == .forbidden, "another session's token does not work")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM item_mappings WHERE review_id = \(reviewId)") == 0)

            let decided = try await post(
                client,
                "/console/reviews/\(reviewId)/decide",
                alice,
                "relationship=equivalent&catalogCode=43012100010000&reason=%E4%BE%9D%E6%8D%AE%E4%B8%80%E8%87%B4"
            )
            #expect(decided.status == .seeOther)
            #expect(decided.headers[.location] == "/console/reviews/\(reviewId)", "the outcome is a server-side flash, not in the URL")
            let (_, pending) = try await get(client, "/console/reviews/\(reviewId)", alice)
            #expect(pending.contains("等待另一位审批人批准"))

            // dave decides nothing here; alice cannot approve (reviewer only), bob can.
            let byAlice = try await post(client, "/console/reviews/\(reviewId)/approve", alice, "note=ok")
            #expect(byAlice.status == .forbidden)
            let approved = try await post(client, "/console/reviews/\(reviewId)/approve", bob, "note=%E5%90%8C%E6%84%8F")
            let location = try #require(approved.headers[.location])
            let (_, after) = try await get(client, location, bob)
            #expect(after.contains("放行 <b id=\"released\">3</b> 条记录"))
            let (_, again) = try await get(client, location, bob)
            #expect(!again.contains("id=\"outcome\""), "a flash is shown once")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'C-%' AND status = 'accepted'") == 3)
            #expect(
                try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'mapping' AND payload LIKE '%\"approvedBy\":\"bob\"%'") == 1
            )
        }
    }

    @Test("a reviewer who is also approver cannot approve their own decision in the console")
    func fourEyes() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let push = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    ReviewWorkflowTests.local("E-1", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条")
                ]),
                as: t.scjg
            )
            let reviewId = try #require(push.json["results"]?[0]["reviewId"]?.int)
            let dave = try await signIn(client, "dave")
            _ = try await post(client, "/console/reviews/\(reviewId)/decide", dave, "relationship=equivalent&catalogCode=43012100010000&reason=same")
            let (_, page) = try await get(client, "/console/reviews/\(reviewId)", dave)
            #expect(page.contains("own-decision"), "the page says a second person must approve")
            #expect(!page.contains("approve-form"))
            let own = try await post(client, "/console/reviews/\(reviewId)/approve", dave, "note=ok")
            #expect(own.status == .forbidden)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id = 'E-1' AND status = 'held'") == 1)
        }
    }

    @Test("record lookup by USCC and localId, the ledger page with verify, proof and checkpoint, the catalog browser, the exchange page")
    func pages() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let record = SampleRecords.inspection(
                localId: "LOOK-1",
                catalogCode: t.inspectionItem.catalogCode,
                implementationCode: t.inspectionItem.code,
                agencyCode: t.inspectionItem.agencyCode
            )
            let push = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
            let seq = try #require(push.json["results"]?[0]["ledgerSeq"]?.int)
            let carol = try await signIn(client, "carol")

            let (_, byParty) = try await get(client, "/console/records?uscc=91330105MA2KER1H4N", carol)
            #expect(byParty.contains("LOOK-1") && byParty.contains("HY-SCJG"))
            let (_, byLocal) = try await get(client, "/console/records?department=HY-SCJG&localId=LOOK-1", carol)
            #expect(byLocal.contains(push.json["results"]?[0]["entryHash"]?.string ?? "missing"))
            #expect(byLocal.contains("记录自带编码"))
            let (_, none) = try await get(client, "/console/records?department=HY-SCJG&localId=NOPE", carol)
            #expect(none.contains("not-found"))

            // Ledger: no checkpoint yet, so no proof; make one, prove, verify (an auditor may verify: it changes nothing).
            // Each is a background job whose page shows the result once it is done.
            let (_, ledger) = try await get(client, "/console/ledger?seq=\(seq)", carol)
            #expect(ledger.contains("value=\"\(seq)\""), "the entry's number fills in the proof form")
            let missing = try await finishedJob(client, try await post(client, "/console/ledger/prove", carol, "seq=\(seq)"), carol)
            #expect(missing.contains("proof-missing"))
            let made = try await finishedJob(client, try await post(client, "/console/ledger/checkpoint", carol, ""), carol)
            #expect(made.contains("checkpoint-made"))
            try await Task.sleep(for: .seconds(ConsoleJobStore.Kind.proof.cooldownSeconds))
            let proved = try await finishedJob(client, try await post(client, "/console/ledger/prove", carol, "seq=\(seq)"), carol)
            #expect(proved.contains("证明有效"))
            let verified = try await finishedJob(client, try await post(client, "/console/ledger/verify", carol, ""), carol)
            #expect(verified.contains("校验通过"))
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'checkpoint'") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE subject = 'ledger_verify' AND payload LIKE '%carol%'") == 1)

            let (_, catalog) = try await get(client, "/console/catalog?q=\(t.inspectionItem.catalogCode)", carol)
            #expect(catalog.contains("/console/catalog/\(t.inspectionItem.catalogCode)"))
            let (_, item) = try await get(client, "/console/catalog/\(t.inspectionItem.catalogCode)", carol)
            #expect(item.contains("第 1 版") && item.contains(t.inspectionItem.code))

            let (status, exchange) = try await get(client, "/console/exchange", carol)
            #expect(status == .ok)
            #expect(exchange.contains("<svg class=\"chart\""))
            #expect(exchange.contains("HY-SCJG"))
            let requeue = try await post(client, "/console/exchange/requeue", carol, "all=1")
            #expect(requeue.status == .forbidden, "an auditor cannot re-queue")
        }
    }
}
