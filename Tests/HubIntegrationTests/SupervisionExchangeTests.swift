import AsyncHTTPClient
import Exchange
import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import ProvinceSimulator
import Supervision
import Testing

/// 双随机 rows (lists, plans, draws) through the outbox to the simulator over real HTTP, beside records: the
/// province keeps them and recomputes every draw; records keep their receipts, the other rows write none.
@Suite("双随机 rows to the province", .serialized)
struct SupervisionExchangeTests {
    /// A draw as the hub publishes it, over generated candidates, with the plan's two departments drawing.
    static func publishedDraw(planId: String, seedByte: UInt8) -> PublishedDraw {
        let plan = RandomCheckPlan(
            planId: planId,
            name: "药品零售企业联合抽查",
            leadDepartment: "HY-SCJG",
            participants: ["HY-WJ"],
            items: ["HY-SCJG": ["11000000000001"], "HY-WJ": ["11000000000002"]],
            minimumCount: 3,
            periodStart: "2026-12-01",
            periodEnd: "2026-12-31"
        )
        let grades: [CreditGrade] = [.a, .b, .c, .d, .ungraded]
        let candidates = (0..<60).map { RandomDraw.Candidate(id: "9143040\(String(format: "%011d", $0 * 7919))", grade: grades[$0 % 5]) }
        let seed = DrawSeed(bytes: Array(repeating: seedByte, count: 32))!
        let outcome = RandomDraw.run(
            .init(plan: plan, seed: seed, candidates: candidates, skipped: [candidates[0].id]) { department, _ in
                (1...4).map { "\(department)-ZF\($0)" }
            }
        )
        return PublishedDraw(plan: plan, seed: seed, candidates: candidates, skipped: [candidates[0].id], outcome: outcome)
    }

    static func json(_ draw: PublishedDraw) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(draw), as: UTF8.self)
    }

    /// Queues rows of the 双随机 tables as the plan and library code does: a ledger entry and the outbox row in one
    /// transaction.
    static func enqueue(_ hub: HubContext, _ rows: [(OutboundKind, String, String, LedgerKind)]) async throws {
        try await hub.db.client.withTransaction(logger: hub.logger) { conn in
            for (kind, key, body, ledgerKind) in rows {
                let entries = try await LedgerStore.append(
                    [LedgerDraft(kind: ledgerKind, department: "HY-SCJG", subject: "\(kind.rawValue):\(key)", payload: body)],
                    conn,
                    logger: hub.logger
                )
                try await OutboxStore.enqueue(
                    kind,
                    key: key,
                    department: "HY-SCJG",
                    body: body,
                    ledgerSeq: entries[0].seq,
                    on: conn,
                    logger: hub.logger
                )
            }
        }
    }

    static func get(_ url: String) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        return try JSONParser().parse(try await response.body.collect(upTo: 16 << 20).readableBytesView)
    }

    @Test(
        "draws, plans and library rows reach the province exactly once through faults, in JSON and XML; it recomputes each draw",
        arguments: [ProvinceConfiguration.Format.json, .xml]
    )
    func rowsReachTheProvince(format: ProvinceConfiguration.Format) async throws {
        let t = try await TestHub.make()
        let platform = try TestProvince.unreliablePlatform()
        let good = Self.publishedDraw(planId: "HY-SCJG-2026-001", seedByte: 0x11)
        #expect(!good.tasks.isEmpty)
        var altered = Self.publishedDraw(planId: "HY-SCJG-2026-002", seedByte: 0x22)
        let team = try #require(altered.tasks.first?.inspectors["HY-WJ"])
        let outsider = try #require(altered.tasks.first?.pools["HY-WJ"]?.first { !team.contains($0) })
        altered.tasks[0].inspectors["HY-WJ"] = [outsider] + team.dropFirst()
        let tampered = altered
        try await TestProvince.serve(platform) { url in
            // Records beside the 双随机 rows: their wire form and their receipts are unchanged.
            let accepted = try await t.serve { client, _ in
                let records = (0..<20).map { i in
                    SampleRecords.inspection(
                        localId: "RC-\(format)-\(i)",
                        catalogCode: t.inspectionItem.catalogCode,
                        implementationCode: t.inspectionItem.code,
                        agencyCode: t.inspectionItem.agencyCode
                    )
                }
                let response = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: t.scjg)
                return response.json["results"]?.array.count { $0["status"]?.string == "accepted" } ?? 0
            }
            #expect(accepted == 20)
            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            try await hub.db.withRunning { _ in
                let subject = #"{"idType":"USCC","name":"衡阳市某大药房有限公司","regionCode":"430405","subjectId":"91430405MA4L0000X1"}"#
                try await Self.enqueue(
                    hub,
                    [
                        (.subject, "91430405MA4L0000X1", subject, .randomCheckLibrary),
                        (.plan, good.planId, #"{"commitment":"\#(good.commitment)","planId":"\#(good.planId)"}"#, .randomCheckPlan),
                        (.draw, good.planId, try Self.json(good), .randomCheckDraw),
                        (.draw, tampered.planId, try Self.json(tampered), .randomCheckDraw),
                    ]
                )
                // A second version of the subject: delivered after the first, never instead of it.
                try await Self.enqueue(
                    hub,
                    [(.subject, "91430405MA4L0000X1", subject.replacingOccurrences(of: "某大药房", with: "某大药房连锁"), .randomCheckLibrary)]
                )
            }
            var settings = TestProvince.settings(url: url)
            settings.province!.format = format
            settings.batchSize = 3
            // A pool runs once: delivery gets its own context over the same database.
            let delivery = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([delivery], settings: settings, databaseURL: t.databaseURL))

            let stats = try await Self.get(url + "/sim/stats")
            #expect(stats.n("accepted") == 45, "20 records + their 20 publications + 5 双随机 rows, each once")
            #expect(stats.n("acceptedTwice") == 0)
            #expect(stats.n("orderViolations") == 0)
            #expect(stats.n("rejectedFinal") == 0)
            #expect(stats.n("supervisionRows") == 24, "the subject (newest version), the plan, two draws and 20 publications")
            #expect(stats.n("drawsVerified") == 1)
            #expect(stats.n("drawsFailed") == 1)
            #expect(stats["injected"]!.n("serverError") + stats["injected"]!.n("lostAck") > 0)

            let draws = try await Self.get(url + "/sim/draws")["draws"]!.array
            #expect(draws.count == 2)
            #expect(draws[0]["planId"]?.string == good.planId && draws[0]["status"]?.string == "verified")
            #expect(draws[0].n("tasks") == good.tasks.count)
            #expect(draws[1]["planId"]?.string == tampered.planId && draws[1]["status"]?.string == "failed")
            #expect(draws[1]["problems"]!.array.contains { $0.string?.contains(tampered.tasks[0].taskId) == true })

            let kept = try await Self.get(url + "/sim/supervision")
            #expect(kept["counts"]?.n("rc_draw") == 2 && kept["counts"]?.n("rc_plan") == 1 && kept["counts"]?.n("rc_subject") == 1)
            let subjectRow = kept["tables"]?["rc_subject"]?["rc_subject:91430405MA4L0000X1"]
            #expect(subjectRow?.n("version") == 2)
            #expect(subjectRow?["data"]?["name"]?.string == "衡阳市某大药房连锁有限公司")
            #expect(kept["tables"]?["rc_draw"]?["rc_draw:\(good.planId)"]?["data"]?["seed"]?.string == good.seed)
            let versions = await platform.acceptedVersions()["430000-HY-SCJG|rc_subject:91430405MA4L0000X1"]?.array.compactMap { $0.int }
            #expect(versions == [1, 2])

            try await t.withDatabase { (db: HubDatabase) async throws in
                #expect(try await count(db, "SELECT count(*) FROM outbox WHERE state = 'delivered'") == 45)
                #expect(
                    try await count(db, "SELECT count(*) FROM outbox WHERE kind <> 'record' AND state = 'delivered' AND province_receipt IS NOT NULL")
                        == 25
                )
                // Receipts are the records' feed: one per record, none for the 双随机 rows.
                #expect(try await count(db, "SELECT count(*) FROM receipts WHERE kind = 'province'") == 20)
                #expect(try await count(db, "SELECT count(*) FROM receipts WHERE local_id LIKE 'rc\\_%'") == 0)
                // The delivery tally counts records only.
                #expect(try await count(db, "SELECT coalesce(sum(delivered), 0)::int FROM delivery_tally") == 20)
            }
        }
    }
}
