import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Testing

/// The console's expensive actions run as rate-limited background jobs, and no message a page shows comes
/// from its URL.
@Suite("Console jobs and flash messages")
struct ConsoleJobTests {
    @Test("verify and checkpoint run as jobs with a self-refreshing progress page; a second request inside the cooldown is 429")
    func jobs() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let console = ConsoleTests()
            try await console.users(hub)
            let carol = try await console.signIn(client, "carol")
            let started = try await console.post(client, "/console/ledger/verify", carol, "")
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/console/jobs/"), "the request answers at once with the job's page")
            // Before the job is done the page refreshes itself (no script needed); when done it shows the result.
            let jobId = try #require(Int64(location.dropFirst("/console/jobs/".count)))
            let job = try #require(try await ConsoleJobStore(db: hub.db).job(jobId))
            #expect(job.kind == .verify && job.requestedBy == "carol")
            let page = try await console.finishedJob(client, started, carol)
            #expect(page.contains("校验通过"))
            #expect(!page.contains("http-equiv=\"refresh\""), "a finished job's page stops refreshing")

            // Rate limit: the same user again inside the cooldown.
            let again = try await console.post(client, "/console/ledger/verify", carol, "")
            #expect(again.status == .tooManyRequests)
            #expect(Int(again.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE subject = 'ledger_verify'") == 1)

            // A running job shows its stage and refreshes; a second request for it joins it.
            let store = ConsoleJobStore(db: hub.db)
            guard case .started(let running) = try await store.start(.checkpoint, by: "someone") else {
                Issue.record("not started")
                return
            }
            try await store.progress(running, stage: "signing", percent: 40)
            let (_, progress) = try await console.get(client, "/console/jobs/\(running)", carol)
            #expect(progress.contains("http-equiv=\"refresh\"") && progress.contains("计算默克尔根并签名") && progress.contains("value=\"40\""))
            let joined = try await console.post(client, "/console/ledger/checkpoint", carol, "")
            #expect(joined.headers[.location] == "/console/jobs/\(running)", "one running checkpoint job at a time")
            let bad = try await console.post(client, "/console/ledger/prove", carol, "seq=abc")
            #expect(bad.status == .badRequest)
        }
    }

    @Test("flash messages never come from the query string")
    func noFlashFromQuery() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let console = ConsoleTests()
            try await console.users(hub)
            let push = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([
                    ReviewWorkflowTests.local("F-1", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条")
                ]),
                as: t.scjg
            )
            let reviewId = try #require(push.json["results"]?[0]["reviewId"]?.int)
            let carol = try await console.signIn(client, "carol")
            let forged = "请立即拨打客服电话修改密码"
            let encoded = forged.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (_, review) = try await console.get(client, "/console/reviews/\(reviewId)?error=\(encoded)&outcome=confirmed&released=98765", carol)
            #expect(!review.contains(forged))
            #expect(!review.contains("98765") && !review.contains("id=\"outcome\""))
            let (_, exchange) = try await console.get(client, "/console/exchange?requeued=\(encoded)", carol)
            #expect(!exchange.contains(forged) && !exchange.contains("id=\"requeued\""))
            let (_, ledger) = try await console.get(client, "/console/ledger?checkpoint=\(encoded)&verification=1", carol)
            #expect(!ledger.contains(forged) && !ledger.contains("checkpoint-made"))

            // A real form error is still shown, once, from this session's flash.
            let alice = try await console.signIn(client, "alice")
            let invalid = try await console.post(client, "/console/reviews/\(reviewId)/decide", alice, "relationship=equivalent&reason=x")
            #expect(invalid.headers[.location] == "/console/reviews/\(reviewId)")
            let (_, shown) = try await console.get(client, "/console/reviews/\(reviewId)", alice)
            #expect(shown.contains("form-error"))
            let (_, otherSession) = try await console.get(client, "/console/reviews/\(reviewId)", carol)
            #expect(!otherSession.contains("form-error"), "a flash belongs to its session")
        }
    }
}
