import Foundation
import HubClient
import HubServer
import HubStore
import Testing

/// The process-wide budget of upload bodies (`HUB_MAX_INFLIGHT_BODY_BYTES`) over real HTTP: concurrent
/// large bodies wait their turn and are all answered 200, or 503 `server_busy` with `Retry-After` when the
/// budget stays used up for the whole wait; a refused batch leaves nothing written.
@Suite("Body budget over HTTP", .serialized)
struct BodyBudgetHTTPTests {
    /// `count` bodies of `records` inspection records each, localIds `prefix`<body>-<record>.
    static func bodies(_ count: Int, records: Int, prefix: String, item: (code: String, catalogCode: String, agencyCode: String)) -> [String] {
        (0..<count).map { b in
            SampleRecords.batch(
                (0..<records).map { r in
                    SampleRecords.inspection(
                        localId: "\(prefix)\(b)-\(r)",
                        catalogCode: item.catalogCode,
                        implementationCode: item.code,
                        agencyCode: item.agencyCode
                    )
                },
                batchId: "\(prefix)B\(b)"
            )
        }
    }

    @Test("20 concurrent bodies against a budget of three: every answer 200 or 503 server_busy with Retry-After, each batch whole or absent")
    func concurrentBodies() async throws {
        let probe = Self.bodies(1, records: 40, prefix: "BB-", item: (code: "x", catalogCode: "x", agencyCode: "x"))[0]
        let budget = probe.utf8.count * 3
        let t = try await TestHub.make(environment: [
            "HUB_MAX_INFLIGHT_BODY_BYTES": "\(budget)", "HUB_MAX_UPLOADS_PER_KEY": "64", "HUB_DB_POOL": "40",
        ])
        let bodies = Self.bodies(20, records: 40, prefix: "BB-", item: t.inspectionItem)
        try await t.serve { client, hub in
            let answers = try await GroupCommitTests.pushAllAnswers(bodies, port: client.port!, as: t.scjg)
            for (i, answer) in answers.enumerated() {
                let written = try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'BB-\(i)-%'")
                if answer.status == 200 {
                    #expect(written == 40, "body \(i) answered 200 with \(written) of 40 records written")
                } else {
                    #expect(answer.status == 503)
                    #expect(answer.json["errors"]?[0]["code"]?.string == "server_busy")
                    #expect(answer.retryAfter != nil)
                    #expect(written == 0, "body \(i) refused but \(written) records written")
                }
            }
            #expect(hub.bodyBudget.used == 0, "every charge was given back")
            #expect(try await LedgerStore.verify(hub.db).ok)
        }
    }

    @Test("a budget held for longer than the wait: 503 server_busy with Retry-After and nothing written; once free, the same body is accepted")
    func busy() async throws {
        let t = try await TestHub.make(environment: ["HUB_MAX_INFLIGHT_BODY_BYTES": "1000", "HUB_READ_TIMEOUT": "4"])
        let body = Self.bodies(1, records: 2, prefix: "BUSY-", item: t.inspectionItem)
        try await t.serve { client, hub in
            #expect(await hub.bodyBudget.acquire(1000))
            let refused = try await GroupCommitTests.pushAllAnswers(body, port: client.port!, as: t.scjg)[0]
            #expect(refused.status == 503)
            #expect(refused.json["errors"]?[0]["code"]?.string == "server_busy")
            #expect(refused.json["errors"]?[0]["messageZh"]?.string?.isEmpty == false)
            #expect(refused.retryAfter == "2")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'BUSY-%'") == 0)
            hub.bodyBudget.release(1000)
            // Larger than the whole budget: it goes through alone.
            let accepted = try await GroupCommitTests.pushAllAnswers(body, port: client.port!, as: t.scjg)[0]
            #expect(accepted.status == 200)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'BUSY-%'") == 2)
        }
    }
}
